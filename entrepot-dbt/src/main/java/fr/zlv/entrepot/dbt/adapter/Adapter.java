package fr.zlv.entrepot.dbt.adapter;

import java.util.List;
import java.util.Optional;

/**
 * A warehouse engine the dbt engine runs against. Statements run on a connection of the calling thread, so
 * nodes can be built in parallel. DuckDB is the default; PostgreSQL implements the same contract.
 */
public interface Adapter extends AutoCloseable {

    /** duckdb, postgres: the prefix dispatch looks for ({@code duckdb__concat}). */
    String type();

    /** The database relations are in when the project does not say. */
    String defaultDatabase();

    /** The relation, if it exists, with its type (table or view). */
    Optional<Relation> find(String database, String schema, String identifier);

    /** Every table and view of a schema: one query where {@link #find} would take one per relation. */
    List<Relation> relations(String database, String schema);

    /** Columns in order. */
    List<Column> columns(Relation relation);

    /** Runs a query and returns its rows. */
    QueryTable query(String sql);

    /** Runs one statement; returns the rows it changed when it says (-1 otherwise). */
    long execute(String sql);

    /** Runs statements in one transaction: all or none. */
    void executeInTransaction(List<String> statements);

    void createSchema(String database, String schema);

    /** The column type DuckDB (or the engine) gives to text, numbers...: for the cross-database type macros. */
    default String typeName(String kind) {
        return switch (kind) {
            case "string" -> "VARCHAR";
            case "int", "bigint" -> "BIGINT";
            case "float" -> "DOUBLE";
            case "numeric" -> "DECIMAL(28,6)";
            case "boolean" -> "BOOLEAN";
            case "timestamp" -> "TIMESTAMP";
            default -> kind.toUpperCase(java.util.Locale.ROOT);
        };
    }

    @Override
    void close();
}
