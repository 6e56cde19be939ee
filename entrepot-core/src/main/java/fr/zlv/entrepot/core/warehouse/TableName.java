package fr.zlv.entrepot.core.warehouse;

/** A table of the warehouse: {@code schema.name}. */
public record TableName(String schema, String name) {

    public TableName {
        if (schema == null || schema.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a table needs a schema and a name");
        }
    }

    /** Parses {@code schema.name}. */
    public static TableName parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("expected schema.table, got '" + qualified + "'");
        }
        return new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** The name quoted for SQL: {@code "schema"."name"}. */
    public String sql() {
        return quote(schema) + "." + quote(name);
    }

    public TableName withName(String newName) {
        return new TableName(schema, newName);
    }

    /** Quotes an identifier for DuckDB and PostgreSQL alike. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
