package fr.zlv.entrepot.semantic.model;

import java.util.Locale;

/** The kind of a column's values, as the semantic layer needs it (from DuckDB's type names). */
public enum DataType {
    STRING, INTEGER, FLOAT, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, UUID, LIST, OTHER,
    /** Not known: the model was checked against the dbt project's column names only. */
    UNKNOWN;

    /** From a DuckDB type name ({@code information_schema.columns.data_type}). */
    public static DataType ofDuckDb(String typeName) {
        String type = typeName.toUpperCase(Locale.ROOT).trim();
        if (type.endsWith("[]") || type.startsWith("LIST") || type.startsWith("STRUCT") || type.startsWith("MAP")) {
            return type.endsWith("[]") ? LIST : OTHER;
        }
        if (type.startsWith("DECIMAL") || type.startsWith("NUMERIC")) {
            return FLOAT;
        }
        return switch (type) {
            case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "ENUM" -> STRING;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "INT", "INT4", "INT8", "INT2", "LONG" -> INTEGER;
            case "FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8" -> FLOAT;
            case "BOOLEAN", "BOOL" -> BOOLEAN;
            case "DATE" -> DATE;
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> TIMESTAMP;
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> TIMESTAMPTZ;
            case "UUID" -> UUID;
            default -> type.startsWith("ENUM") ? STRING : OTHER;
        };
    }

    public boolean isNumeric() {
        return this == INTEGER || this == FLOAT;
    }

    public boolean isTemporal() {
        return this == DATE || this == TIMESTAMP || this == TIMESTAMPTZ;
    }

    /** The SQL type a bound text parameter is cast to, for types JDBC has no plain setter for; null otherwise. */
    public String castTarget() {
        return switch (this) {
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMPTZ";
            case UUID -> "UUID";
            default -> null;
        };
    }

    /** Lower-case name for messages and metadata. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
