package fr.zlv.entrepot.dbt.adapter;

import java.util.List;
import java.util.Optional;

/**
 * A warehouse engine the dbt engine runs against. Statements run on a connection of the calling thread, so
 * nodes can be built in parallel. DuckDB ({@link DuckDbAdapter}) is the default; PostgreSQL
 * ({@link PostgresAdapter}) implements the same contract.
 *
 * <p>Besides running SQL, an adapter owns the statements that differ between engines: how a table is built from a
 * query, how a new table or view takes the place of the live one, how a seed's CSV is loaded, how a merge is
 * written, and where the catalog is read. Methods that take a {@code log} add each statement to it before running
 * it, so that after a failure the caller has what ran, the failing statement last (for {@code target/run}).
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

    /** Columns in order, with types written as the engine accepts them in DDL. */
    List<Column> columns(Relation relation);

    /** The columns a query would return, with their types, without running it to the end. */
    List<Column> describe(String sql);

    /** Runs a query and returns its rows. */
    QueryTable query(String sql);

    /** Runs one statement; returns the rows it changed when it says (-1 otherwise). */
    long execute(String sql);

    /** Runs statements in one transaction: all or none. */
    void executeInTransaction(List<String> statements);

    void createSchema(String database, String schema);

    // ------------------------------------------------------------------ materializations

    /** Builds a table from a query, replacing a table of that name (a staging table a failed run left behind). */
    void createTableAs(Relation relation, String sql, List<String> log);

    /**
     * Puts the table {@code staging} in the place of {@code target} in one transaction: {@code existing} (what is
     * there now, or null) is dropped and {@code staging} renamed. Readers see the old relation or the new one.
     */
    void replaceWithTable(Relation staging, Relation target, Relation existing, List<String> log);

    /** Creates or replaces the view {@code target}; {@code existing} is what is there now, or null. */
    void createView(Relation target, Relation existing, String sql, List<String> log);

    /** Loads a seed's CSV file into a new table {@code relation} (replacing a leftover of that name). */
    void loadCsv(CsvSeed seed, Relation relation, List<String> log);

    /** The statements of the {@code merge} incremental strategy: {@code staging}'s rows updated or inserted by key. */
    List<String> mergeStatements(Relation target, Relation staging, List<String> keys, List<String> columns);

    /** The statement changing a column's type (on_schema_change: sync_all_columns). */
    String alterColumnType(Relation relation, String column, String type);

    /** The statement dropping an existing relation ({@code adapter.drop_relation}). */
    String dropStatement(Relation existing);

    // ------------------------------------------------------------------ catalog

    /**
     * The query listing the tables and views of the given schemas (lower-cased names) for {@code dbt docs generate}:
     * columns database, schema, name, is_view (boolean), comment, row count (or null).
     */
    String catalogRelationsQuery(List<String> schemas);

    /**
     * The query listing the columns of those schemas' relations, ordered by relation then position: columns database,
     * schema, table, column, index (from 1), type, comment.
     */
    String catalogColumnsQuery(List<String> schemas);

    /** The column type the engine gives to text, numbers...: for the cross-database type macros. */
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
