package fr.zlv.entrepot.publish;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the PostgreSQL serving schema says about a published table, usually taken from the dbt project's
 * descriptions: the table's comment, its columns' comments, and the indexes to build.
 *
 * @param description the table's comment; empty for none
 * @param columns     column name → comment; a documented column the table does not have is ignored (dbt allows it),
 *                    and a null or blank comment counts as none
 * @param indexes     the indexes, each a list of column names; empty: one index per key-like column
 *                    ({@code id}, {@code *_id}, {@code *_code}, {@code *_key}), what BI filters and joins use
 */
public record TableDocs(String description, Map<String, String> columns, List<List<String>> indexes) {

    public TableDocs {
        description = description == null ? "" : description.strip();
        // dbt leaves undocumented columns without a description (null or empty): they have no comment.
        Map<String, String> documented = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach((column, comment) -> {
                if (column != null && comment != null && !comment.isBlank()) {
                    documented.put(column, comment.strip());
                }
            });
        }
        columns = Collections.unmodifiableMap(documented);
        indexes = indexes == null ? List.of() : indexes.stream().map(List::copyOf).toList();
    }

    /** No comments, key-like columns indexed. */
    public static TableDocs none() {
        return new TableDocs("", Map.of(), List.of());
    }
}
