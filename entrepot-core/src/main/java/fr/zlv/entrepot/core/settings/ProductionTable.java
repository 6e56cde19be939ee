package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One production table to copy: {@code <schema>.<source>} lands as {@code production.<name>}. */
public record ProductionTable(
        @JsonPropertyDescription("Table name in schema production.")
        String name,
        @JsonPropertyDescription("Table in the production database, when its name differs (fast_housing → housing).")
        String source,
        @JsonPropertyDescription("Columns left behind (geo_perimeters.geom).")
        List<String> excludeColumns) {

    public ProductionTable {
        if (name == null || name.isBlank()) {
            throw new InvalidSettingException("name", "is required");
        }
        source = source == null || source.isBlank() ? name : source;
        excludeColumns = excludeColumns == null ? List.of() : List.copyOf(excludeColumns);
    }

    public static ProductionTable of(String name) {
        return new ProductionTable(name, null, null);
    }
}
