package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.warehouse.TableName;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A warehouse column as the serving schema has it: its PostgreSQL type, and the DuckDB expression that reads it in
 * a form PostgreSQL's COPY text input accepts. DuckDB formats the values (in C++, fast); Java only escapes them.
 *
 * <p>Lists of scalars become PostgreSQL arrays ({@code text[]}, {@code bigint[]}, ...): BI tools and psql show them,
 * {@code = ANY(col)} and {@code unnest} work, and the element type survives. Structs, maps, unions and lists of
 * those become {@code jsonb}, the one PostgreSQL type that holds any nesting.
 *
 * @param array true when the expression yields a DuckDB {@code VARCHAR[]} written as a PostgreSQL array literal
 */
record PostgresColumn(String name, String duckdbType, String postgresType, String expression, boolean array) {

    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
    private static final Pattern LIST = Pattern.compile("(.+)\\[\\d*]");

    private static final Map<String, String> SCALARS = Map.ofEntries(
            Map.entry("BOOLEAN", "boolean"),
            Map.entry("TINYINT", "smallint"),
            Map.entry("UTINYINT", "smallint"),
            Map.entry("SMALLINT", "smallint"),
            Map.entry("USMALLINT", "integer"),
            Map.entry("INTEGER", "integer"),
            Map.entry("UINTEGER", "bigint"),
            Map.entry("BIGINT", "bigint"),
            Map.entry("UBIGINT", "numeric(20,0)"),
            Map.entry("HUGEINT", "numeric(39,0)"),
            Map.entry("UHUGEINT", "numeric(39,0)"),
            Map.entry("VARINT", "numeric"),
            Map.entry("BIGNUM", "numeric"),
            Map.entry("FLOAT", "real"),
            Map.entry("DOUBLE", "double precision"),
            Map.entry("VARCHAR", "text"),
            Map.entry("DATE", "date"),
            Map.entry("TIME", "time"),
            Map.entry("TIME WITH TIME ZONE", "timetz"),
            Map.entry("TIMESTAMP", "timestamp"),
            Map.entry("TIMESTAMP_S", "timestamp"),
            Map.entry("TIMESTAMP_MS", "timestamp"),
            // PostgreSQL keeps microseconds: nanoseconds are rounded by its input.
            Map.entry("TIMESTAMP_NS", "timestamp"),
            Map.entry("TIMESTAMP WITH TIME ZONE", "timestamptz"),
            Map.entry("INTERVAL", "interval"),
            Map.entry("UUID", "uuid"),
            Map.entry("BIT", "varbit"));

    /** Maps a DuckDB column ({@code data_type} as {@code duckdb_columns()} spells it). */
    static PostgresColumn of(String name, String duckdbType) {
        String type = duckdbType.strip().toUpperCase(Locale.ROOT);
        String column = TableName.quote(name);
        String scalar = scalar(type);
        if (scalar != null) {
            return new PostgresColumn(name, duckdbType, scalar, "CAST(" + column + " AS VARCHAR)", false);
        }
        if (type.equals("BLOB")) {
            // PostgreSQL's bytea input reads \x followed by hex digits.
            return new PostgresColumn(name, duckdbType, "bytea", "'\\x' || hex(" + column + ")", false);
        }
        if (type.equals("JSON")) {
            return new PostgresColumn(name, duckdbType, "jsonb", "CAST(" + column + " AS VARCHAR)", false);
        }
        Matcher list = LIST.matcher(type);
        if (list.matches()) {
            String element = scalar(list.group(1));
            if (element != null) {
                // DuckDB formats each element; Java writes them as a quoted array literal.
                return new PostgresColumn(name, duckdbType, element + "[]", "CAST(" + column + " AS VARCHAR[])", true);
            }
        }
        if (list.matches() || type.startsWith("STRUCT") || type.startsWith("MAP") || type.startsWith("UNION")) {
            return new PostgresColumn(name, duckdbType, "jsonb", "CAST(to_json(" + column + ") AS VARCHAR)", false);
        }
        // ENUM and anything newer: their text is what a reader expects.
        return new PostgresColumn(name, duckdbType, "text", "CAST(" + column + " AS VARCHAR)", false);
    }

    private static String scalar(String type) {
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            return "numeric(" + decimal.group(1) + "," + decimal.group(2) + ")";
        }
        return SCALARS.get(type);
    }

    /** The column in PostgreSQL's CREATE TABLE. */
    String definition() {
        return TableName.quote(name) + " " + postgresType;
    }
}
