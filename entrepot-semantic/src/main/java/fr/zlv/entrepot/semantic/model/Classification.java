package fr.zlv.entrepot.semantic.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the dbt project says about the published tables' columns: their personal-data class
 * ({@code meta: {pii: direct|indirect|none}}, and {@code pseudonymised: true}) and, without a BI file, their names.
 * Published names are mapped to marts through {@code publish.yml}. Read from the YAML files only: the semantic layer
 * does not load the dbt project.
 *
 * @param tables published table name → its mart's columns
 */
public record Classification(Map<String, MartColumns> tables) {

    /** The columns of one mart as its properties file declares them. */
    public record MartColumns(String mart, Path file, Map<String, ColumnClass> columns) {
    }

    /**
     * @param pii           direct, indirect, none, or null when unclassified
     * @param pseudonymised the column holds keyed pseudonyms, not the personal data itself
     */
    public record ColumnClass(String pii, boolean pseudonymised) {

        /** Whether a dimension over this column would expose personal data. */
        public boolean personal() {
            return !pseudonymised && !"none".equals(pii);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public Optional<MartColumns> table(String published) {
        return Optional.ofNullable(tables.get(published));
    }

    /** The published tables and their columns (types unknown), for checking a model without a BI file. */
    public Catalog catalog(Path dbtProjectDir) {
        Map<String, Map<String, DataType>> columns = new LinkedHashMap<>();
        tables.forEach((name, mart) -> {
            Map<String, DataType> types = new LinkedHashMap<>();
            mart.columns().keySet().forEach(column -> types.put(column, DataType.UNKNOWN));
            columns.put(name, types);
        });
        return new Catalog("the columns declared in the dbt project " + dbtProjectDir, columns);
    }

    /**
     * Reads the classification of the marts published under {@code publishYml}'s names (or, without it, of every
     * model under its own name).
     */
    public static Classification read(Path dbtProjectDir, Path publishYml) {
        Path project = dbtProjectDir.toAbsolutePath().normalize();
        Path projectFile = project.resolve("dbt_project.yml");
        if (!Files.isRegularFile(projectFile)) {
            throw EntrepotException.badInput("No dbt project at " + project + " (no dbt_project.yml).",
                    "Give the directory of the warehouse's dbt project (transform.project_dir in the settings).");
        }
        List<String> modelPaths = new ArrayList<>();
        JsonNode projectNode = readYaml(projectFile);
        JsonNode paths = projectNode.path("model-paths");
        if (paths.isArray()) {
            paths.forEach(p -> modelPaths.add(p.asText()));
        } else {
            modelPaths.add("models");
        }
        Map<String, MartColumns> models = new HashMap<>();
        for (String modelPath : modelPaths) {
            Path root = project.resolve(modelPath);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Classification::isYaml).sorted().toList()) {
                    readModels(file, models);
                }
            } catch (IOException e) {
                throw EntrepotException.badInput("Cannot read the dbt project's models under " + root + ": "
                        + e.getMessage(), null);
            }
        }
        Map<String, MartColumns> published = new LinkedHashMap<>();
        if (publishYml == null) {
            published.putAll(models);
        } else {
            for (Map.Entry<String, String> table : publishedNames(publishYml).entrySet()) {
                MartColumns mart = models.get(table.getValue());
                if (mart != null) {
                    published.put(table.getKey(), mart);
                }
            }
        }
        return new Classification(published);
    }

    /** Published name → mart, from publish.yml ({@code tables: [{mart: ..., name: ...}]}). */
    public static Map<String, String> publishedNames(Path publishYml) {
        JsonNode root = readYaml(publishYml.toAbsolutePath().normalize());
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode table : root.path("tables")) {
            String mart = table.path("mart").asText(null);
            if (mart != null) {
                names.put(table.path("name").asText(mart), mart);
            }
        }
        return names;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && (name.endsWith(".yml") || name.endsWith(".yaml"));
    }

    private static void readModels(Path file, Map<String, MartColumns> models) {
        JsonNode root = readYaml(file);
        for (JsonNode model : root.path("models")) {
            String name = model.path("name").asText(null);
            if (name == null) {
                continue;
            }
            Map<String, ColumnClass> columns = new LinkedHashMap<>();
            for (JsonNode column : model.path("columns")) {
                String columnName = column.path("name").asText(null);
                if (columnName == null) {
                    continue;
                }
                JsonNode meta = column.path("meta");
                if (meta.isMissingNode() || meta.isNull()) {
                    meta = column.path("config").path("meta");
                }
                String pii = meta.path("pii").isValueNode() ? meta.path("pii").asText() : null;
                columns.put(columnName, new ColumnClass(pii == null ? null : pii.toLowerCase(Locale.ROOT),
                        meta.path("pseudonymised").asBoolean(false)));
            }
            models.put(name, new MartColumns(name, file, columns));
        }
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode node = YAML.readTree(file.toFile());
            return node == null ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read " + file + ": " + firstLine(e.getMessage()),
                    "Fix the YAML of that file.");
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
