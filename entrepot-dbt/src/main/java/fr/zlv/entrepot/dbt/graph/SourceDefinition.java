package fr.zlv.entrepot.dbt.graph;

import java.util.List;
import java.util.Map;

/** A table of a {@code sources:} block: where raw data already is. */
public record SourceDefinition(String packageName, String sourceName, String name, String database, String schema,
                               String identifier, String description, String sourceDescription,
                               Map<String, ColumnInfo> columns, String loadedAtField, Map<String, Object> freshness,
                               Map<String, Object> meta, List<String> tags, String originalFilePath,
                               Map<String, Object> config) {

    public String uniqueId() {
        return "source." + packageName + "." + sourceName + "." + name;
    }

    public List<String> fqn() {
        return List.of(packageName, sourceName, name);
    }
}
