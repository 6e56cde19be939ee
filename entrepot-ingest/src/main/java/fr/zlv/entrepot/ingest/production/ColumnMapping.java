package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.warehouse.TableName;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one PostgreSQL column travels to DuckDB through CSV.
 *
 * <p>Most types cross as they are: PostgreSQL's CSV output of an integer, a date, a timestamptz (in UTC)
 * or a UUID is what DuckDB's CSV reader expects for the same type. The others are rewritten on one side
 * or both: arrays cross as JSON and are cast back to lists, bytea and PostGIS geometries cross as hex
 * and are unhexed into BLOBs (geometries as WKB), enums are cast into a DuckDB ENUM with the same labels.
 *
 * @param column        the source column
 * @param sourceSelect  the expression PostgreSQL's COPY selects
 * @param csvType       the type DuckDB's read_csv gives the field
 * @param duckExpression the expression, over the CSV field {@code field}, that makes the final value
 * @param duckType      the column's type in the warehouse
 */
public record ColumnMapping(PgColumn column, String sourceSelect, String csvType, String duckExpression,
                            String duckType) {

    private static final Set<String> TEXT = Set.of("text", "varchar", "bpchar", "name", "char", "citext");

    /** The mapping of a column; {@code field} is the name DuckDB's read_csv gives it. */
    public static ColumnMapping of(PgColumn column, String field) {
        String quoted = TableName.quote(column.name());
        String csvField = TableName.quote(field);
        if (column.isArray()) {
            String element = scalarType(column.elementType(), column.elementKind(), -1, -1);
            String listType = (element.startsWith("ENUM") ? "VARCHAR" : element) + "[]";
            if (element.equals("BLOB")) {
                // bytea[] has no JSON form DuckDB can cast back: keep PostgreSQL's text form.
                return new ColumnMapping(column, quoted + "::text", "VARCHAR", csvField, "VARCHAR");
            }
            return new ColumnMapping(column, "to_json(" + quoted + ")", "VARCHAR",
                    "CAST(CAST(" + csvField + " AS JSON) AS " + listType + ")", listType);
        }
        if (column.typeKind() == 'e') {
            String enumType = enumType(column.enumLabels());
            return new ColumnMapping(column, quoted, "VARCHAR", "CAST(" + csvField + " AS " + enumType + ")", enumType);
        }
        String type = column.type();
        if (type.equals("bytea")) {
            return new ColumnMapping(column, "encode(" + quoted + ", 'hex')", "VARCHAR", "unhex(" + csvField + ")",
                    "BLOB");
        }
        if (type.equals("geometry") || type.equals("geography")) {
            return new ColumnMapping(column, "encode(ST_AsBinary(" + quoted + "), 'hex')", "VARCHAR",
                    "unhex(" + csvField + ")", "BLOB");
        }
        if (type.equals("interval")) {
            // PostgreSQL's interval text ("-1 days +02:03:00") is not DuckDB's: send the three parts instead.
            String parts = "(extract(year from " + quoted + ") * 12 + extract(month from " + quoted + "))::bigint"
                    + " || ' months ' || extract(day from " + quoted + ")::bigint || ' days ' || (extract(hour from "
                    + quoted + ") * 3600000000 + extract(minute from " + quoted + ") * 60000000 + extract(microseconds from "
                    + quoted + "))::bigint || ' microseconds'";
            return new ColumnMapping(column, parts, "INTERVAL", csvField, "INTERVAL");
        }
        if (type.equals("money")) {
            return new ColumnMapping(column, quoted + "::numeric", "DECIMAL(38,2)", csvField, "DECIMAL(38,2)");
        }
        String duckType = scalarType(type, column.typeKind(), column.precision(), column.scale());
        if (duckType.equals("VARCHAR") && !TEXT.contains(type)) {
            // tsvector, inet, xml, ranges, composites...: their text form, cast on PostgreSQL's side.
            return new ColumnMapping(column, quoted + "::text", "VARCHAR", csvField, "VARCHAR");
        }
        return new ColumnMapping(column, quoted, duckType, csvField, duckType);
    }

    /** The DuckDB type of a PostgreSQL scalar type; VARCHAR for types DuckDB has no equal of. */
    static String scalarType(String type, char kind, int precision, int scale) {
        if (kind == 'e') {
            return "ENUM";
        }
        return switch (type) {
            case "bool" -> "BOOLEAN";
            case "int2" -> "SMALLINT";
            case "int4" -> "INTEGER";
            case "int8", "oid" -> "BIGINT";
            case "float4" -> "FLOAT";
            case "float8" -> "DOUBLE";
            // DuckDB's decimals stop at 38 digits; an unconstrained numeric becomes a double, as DuckDB's own
            // postgres scanner does.
            case "numeric" -> precision > 0 && precision <= 38 ? "DECIMAL(" + precision + "," + Math.max(0, scale) + ")"
                    : "DOUBLE";
            case "uuid" -> "UUID";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            case "timestamptz" -> "TIMESTAMPTZ";
            case "time" -> "TIME";
            case "timetz" -> "TIMETZ";
            case "interval" -> "INTERVAL";
            case "json", "jsonb" -> "JSON";
            case "bytea", "geometry", "geography" -> "BLOB";
            default -> "VARCHAR";
        };
    }

    static String enumType(List<String> labels) {
        return "ENUM(" + labels.stream().map(label -> "'" + label.replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + ")";
    }

    /** The column's definition in the warehouse's CREATE TABLE. */
    public String duckDefinition() {
        return TableName.quote(column.name()) + " " + duckType;
    }

    /**
     * The expression a COPY into a PostgreSQL warehouse selects: the column as it is, its CSV text read back by the
     * same type (or by text) on the other side. Money alone crosses as numeric, whose text does not depend on
     * either server's lc_monetary.
     */
    public String postgresSelect() {
        String quoted = TableName.quote(column.name());
        return column.type().equals("money") && column.postgresType().equals("money") ? quoted + "::numeric" : quoted;
    }

    /** The column's definition in a PostgreSQL warehouse's CREATE TABLE. */
    public String postgresDefinition() {
        return TableName.quote(column.name()) + " " + column.postgresType();
    }

    /** "name production type → warehouse type", the type as a DuckDB file (DuckDB's spelling: {@code VARCHAR},
     * an enum's labels as they are) or a PostgreSQL warehouse has it. */
    public String describe(boolean postgresWarehouse) {
        return column.name() + " " + column.declared() + " → "
                + (postgresWarehouse ? column.postgresType() : duckType);
    }

    @Override
    public String toString() {
        return describe(false);
    }
}
