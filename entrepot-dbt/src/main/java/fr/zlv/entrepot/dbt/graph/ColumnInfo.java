package fr.zlv.entrepot.dbt.graph;

import java.util.List;
import java.util.Map;

/** A column as the properties files describe it. */
public record ColumnInfo(String name, String description, String dataType, Map<String, Object> meta, List<String> tags,
                         List<Object> tests) {

    public ColumnInfo {
        description = description == null ? "" : description;
        meta = meta == null ? Map.of() : meta;
        tags = tags == null ? List.of() : tags;
        tests = tests == null ? List.of() : tests;
    }
}
