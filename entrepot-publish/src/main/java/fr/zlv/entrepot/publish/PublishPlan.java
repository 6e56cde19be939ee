package fr.zlv.entrepot.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code warehouse/publish.yml}: which marts are published, under which names, and which are also exported as
 * Parquet. A mistake names the file and the entry.
 */
public record PublishPlan(Path file, String sourceSchema, List<PublishedTable> tables) {

    /** A mart ({@code sourceSchema.mart}) published as {@code name}; {@code parquet}: also exported as Parquet. */
    public record PublishedTable(String mart, String name, boolean parquet) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    public PublishPlan {
        tables = List.copyOf(tables);
    }

    public static PublishPlan load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the publication file " + file + ": " + e.getMessage(),
                    "Check that it exists and is valid YAML.");
        }
        if (root == null || !root.path("tables").isArray() || root.path("tables").isEmpty()) {
            throw EntrepotException.badInput("The publication file " + file + " lists no table.",
                    "List them under tables: as {mart: marts_x, name: x}.");
        }
        String schema = root.path("source_schema").asText("marts");
        List<PublishedTable> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode entry : root.path("tables")) {
            String where = "In " + file + ", tables[" + index++ + "]";
            String mart = entry.path("mart").asText("");
            String name = entry.path("name").asText(mart);
            if (!NAME.matcher(mart).matches() || !NAME.matcher(name).matches()) {
                throw EntrepotException.badInput(where + " has mart '" + mart + "' and name '" + name
                        + "': both must be lower-case SQL names.", "Write {mart: marts_production_housing, name: housing}.");
            }
            if (!names.add(name)) {
                throw EntrepotException.badInput(where + " publishes a second table named '" + name + "'.",
                        "Give each published table its own name.");
            }
            tables.add(new PublishedTable(mart, name, entry.path("parquet").asBoolean(false)));
        }
        return new PublishPlan(file, schema, tables);
    }
}
