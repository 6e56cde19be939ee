package fr.zlv.entrepot.semantic.model;

import java.util.Map;
import java.util.Optional;

/**
 * The tables and columns a model is checked against: the BI file's (with their types) or, without one, the dbt
 * project's mart columns under their published names (types {@link DataType#UNKNOWN}).
 *
 * @param source what the columns come from, for messages ("the BI file /…/entrepot-bi.duckdb")
 * @param tables table → column → type, in the table's column order
 */
public record Catalog(String source, Map<String, Map<String, DataType>> tables) {

    public Catalog {
        tables = Map.copyOf(tables);
    }

    public boolean hasTable(String table) {
        return tables.containsKey(table);
    }

    public Optional<DataType> column(String table, String column) {
        Map<String, DataType> columns = tables.get(table);
        return columns == null ? Optional.empty() : Optional.ofNullable(columns.get(column));
    }

    public Map<String, DataType> columns(String table) {
        return tables.getOrDefault(table, Map.of());
    }
}
