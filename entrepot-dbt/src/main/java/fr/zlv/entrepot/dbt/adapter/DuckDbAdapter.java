package fr.zlv.entrepot.dbt.adapter;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB through its JDBC driver: a database file (or memory) from the profile's {@code path}, or a connection
 * Entrepôt already holds (the warehouse's own: one writer per file). Each thread gets its own connection,
 * duplicated from the first.
 */
public final class DuckDbAdapter implements Adapter {

    private final DuckDBConnection root;
    private final boolean ownsRoot;
    private final String database;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Connection> opened = new ConcurrentLinkedQueue<>();

    private DuckDbAdapter(DuckDBConnection root, boolean ownsRoot) {
        this.root = root;
        this.ownsRoot = ownsRoot;
        this.database = queryDatabase(root);
    }

    /** Uses a connection Entrepôt holds; closing the adapter leaves it open. */
    public static DuckDbAdapter using(Connection connection) {
        try {
            return new DuckDbAdapter(connection.unwrap(DuckDBConnection.class), false);
        } catch (SQLException e) {
            throw DbtException.runtime("Not a DuckDB connection: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the profile's database: {@code path} (relative to {@code base}; {@code :memory:} for none),
     * then loads {@code extensions}, applies {@code settings} and attaches {@code attach} entries.
     */
    public static DuckDbAdapter open(Map<String, Object> target, Path base) {
        String path = Yaml.string(target.get("path"), ":memory:");
        String url;
        if (path.equals(":memory:") || path.isBlank()) {
            url = "jdbc:duckdb:";
        } else {
            Path file = base.resolve(path).toAbsolutePath().normalize();
            try {
                Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw DbtException.project("Cannot create " + file.getParent() + ": " + e.getMessage(), null, e);
            }
            url = "jdbc:duckdb:" + file;
        }
        DuckDBConnection connection;
        try {
            connection = (DuckDBConnection) DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot open the DuckDB database " + path + " of the profile: " + e.getMessage(), e);
        }
        DuckDbAdapter adapter = new DuckDbAdapter(connection, true);
        try {
            for (String extension : Yaml.strings(target.get("extensions"))) {
                adapter.loadExtension(extension);
            }
            for (Map.Entry<String, Object> setting : Yaml.map(target.get("settings")).entrySet()) {
                adapter.execute("SET " + setting.getKey() + " = '" + String.valueOf(setting.getValue()).replace("'", "''")
                        + "'");
            }
            // The profile's threads are dbt's (models at once), not DuckDB's: DuckDB's come from settings: {threads: N}.
            for (Object entry : Yaml.list(target.get("attach"))) {
                Map<String, Object> attach = Yaml.map(entry);
                String attachPath = base.resolve(Yaml.string(attach.get("path"), "")).toString();
                String alias = attach.get("alias") == null ? "" : " AS " + Relation.quote(String.valueOf(attach.get("alias")));
                String readOnly = Boolean.parseBoolean(Yaml.string(attach.get("read_only"), "false")) ? " (READ_ONLY)" : "";
                adapter.execute("ATTACH IF NOT EXISTS '" + attachPath.replace("'", "''") + "'" + alias + readOnly);
            }
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
        return adapter;
    }

    private void loadExtension(String extension) {
        try {
            execute("LOAD " + extension);
        } catch (DbtException e) {
            throw DbtException.project("The DuckDB extension '" + extension + "' of the profile cannot be loaded here: "
                    + e.getMessage(), "Only extensions built into DuckDB (parquet, json, icu) are available offline;"
                    + " remove it from the profile's extensions.");
        }
    }

    private static String queryDatabase(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw DbtException.runtime("DuckDB does not answer: " + e.getMessage(), e);
        }
    }

    private Connection connection() {
        Connection connection = connections.get();
        if (connection == null) {
            try {
                connection = root.duplicate();
            } catch (SQLException e) {
                throw DbtException.runtime("Cannot open a DuckDB connection: " + e.getMessage(), e);
            }
            connections.set(connection);
            opened.add(connection);
        }
        return connection;
    }

    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public String defaultDatabase() {
        return database;
    }

    @Override
    public Optional<Relation> find(String databaseName, String schema, String identifier) {
        String sql = "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables"
                + " WHERE table_catalog = ? AND lower(table_schema) = lower(?) AND lower(table_name) = lower(?)";
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, databaseName == null ? database : databaseName);
            statement.setString(2, schema);
            statement.setString(3, identifier);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String type = rows.getString(4).equals("VIEW") ? "view" : "table";
                return Optional.of(new Relation(rows.getString(1), rows.getString(2), rows.getString(3), type));
            }
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot look up " + schema + "." + identifier + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Relation> relations(String databaseName, String schema) {
        String sql = "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables"
                + " WHERE table_catalog = ? AND lower(table_schema) = lower(?)";
        List<Relation> relations = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, databaseName == null ? database : databaseName);
            statement.setString(2, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(4).equals("VIEW") ? "view" : "table";
                    relations.add(new Relation(rows.getString(1), rows.getString(2), rows.getString(3), type));
                }
            }
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot list the relations of " + schema + ": " + e.getMessage(), e);
        }
        return relations;
    }

    @Override
    public List<Column> columns(Relation relation) {
        String sql = "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ?"
                + " AND lower(table_schema) = lower(?) AND lower(table_name) = lower(?) ORDER BY ordinal_position";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, relation.getDatabase() == null ? database : relation.getDatabase());
            statement.setString(2, relation.getSchema());
            statement.setString(3, relation.getIdentifier());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new Column(rows.getString(1), rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot read the columns of " + relation + ": " + e.getMessage(), e);
        }
        return columns;
    }

    @Override
    public QueryTable query(String sql) {
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return QueryTable.read(rows, (row, meta, column) -> row.getObject(column));
        } catch (SQLException e) {
            throw DbtException.runtime(firstLine(e.getMessage()), e);
        }
    }

    @Override
    public long execute(String sql) {
        try (Statement statement = connection().createStatement()) {
            boolean hasRows = statement.execute(sql);
            return hasRows ? -1 : statement.getUpdateCount();
        } catch (SQLException e) {
            throw DbtException.runtime(firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void executeInTransaction(List<String> statements) {
        Connection connection = connection();
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DbtException.runtime(firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void createSchema(String databaseName, String schema) {
        String prefix = databaseName == null || databaseName.equals(database) ? "" : Relation.quote(databaseName) + ".";
        execute("CREATE SCHEMA IF NOT EXISTS " + prefix + Relation.quote(schema));
    }

    @Override
    public List<Column> describe(String sql) {
        List<Column> columns = new ArrayList<>();
        for (List<Object> row : query("describe " + sql).getRows()) {
            columns.add(new Column(String.valueOf(row.get(0)), String.valueOf(row.get(1))));
        }
        return columns;
    }

    // ------------------------------------------------------------------ materializations

    @Override
    public void createTableAs(Relation relation, String sql, List<String> log) {
        run("create or replace table " + relation + " as (\n" + sql + "\n)", log);
    }

    @Override
    public void replaceWithTable(Relation staging, Relation target, Relation existing, List<String> log) {
        List<String> swap = new ArrayList<>();
        if (existing != null) {
            swap.add("drop " + (existing.isView() ? "view" : "table") + " " + existing);
        }
        swap.add("alter table " + staging + " rename to " + Relation.quote(target.getIdentifier()));
        log.addAll(swap);
        executeInTransaction(swap);
    }

    @Override
    public void createView(Relation target, Relation existing, String sql, List<String> log) {
        String create = "create or replace view " + target + " as (\n" + sql + "\n)";
        if (existing != null && existing.isTable()) {
            List<String> swap = List.of("drop table " + existing, create);
            log.addAll(swap);
            executeInTransaction(swap);
        } else {
            run(create, log);
        }
    }

    /** DuckDB's own CSV reader: the types it infers, or those of {@code column_types}. */
    @Override
    public void loadCsv(CsvSeed seed, Relation relation, List<String> log) {
        StringBuilder read = new StringBuilder("read_csv('" + seed.file().toString().replace("'", "''")
                + "', header = true, delim = '" + seed.delimiter().replace("'", "''") + "', quote = '\"'");
        if (!seed.columnTypes().isEmpty()) {
            read.append(", types = {").append(seed.columnTypes().entrySet().stream()
                    .map(type -> "'" + type.getKey().replace("'", "''") + "': '" + type.getValue() + "'")
                    .collect(java.util.stream.Collectors.joining(", "))).append('}');
        }
        read.append(')');
        run("create or replace table " + relation + " as select * from " + read, log);
    }

    @Override
    public List<String> mergeStatements(Relation target, Relation staging, List<String> keys, List<String> columns) {
        return List.of(Merges.merge(target, staging, keys, columns));
    }

    @Override
    public String alterColumnType(Relation relation, String column, String type) {
        return "alter table " + relation + " alter column " + Relation.quote(column) + " type " + type;
    }

    @Override
    public String dropStatement(Relation existing) {
        return "DROP " + (existing.isView() ? "VIEW" : "TABLE") + " IF EXISTS " + existing.render();
    }

    // ------------------------------------------------------------------ catalog

    @Override
    public String catalogRelationsQuery(List<String> schemas) {
        String inSchemas = inSchemas(schemas);
        return "select database_name, schema_name, table_name, false as is_view, comment, estimated_size"
                + " from duckdb_tables() where not internal and " + inSchemas
                + " union all"
                + " select database_name, schema_name, view_name, true, comment, null"
                + " from duckdb_views() where not internal and " + inSchemas;
    }

    @Override
    public String catalogColumnsQuery(List<String> schemas) {
        return "select database_name, schema_name, table_name, column_name, column_index, data_type, comment"
                + " from duckdb_columns() where " + inSchemas(schemas)
                + " order by database_name, schema_name, table_name, column_index";
    }

    private static String inSchemas(List<String> schemas) {
        return "lower(schema_name) in (" + String.join(", ", schemas.stream()
                .map(schema -> "'" + schema.replace("'", "''") + "'").toList()) + ")";
    }

    private void run(String sql, List<String> log) {
        log.add(sql);
        execute(sql);
    }

    static String firstLine(String message) {
        String text = String.valueOf(message);
        // A multi-statement execute reports its failure behind a generic line: keep the real error.
        int wrapped = text.indexOf("\nError: ");
        if (text.startsWith("Invalid Input Error: Attempting to execute an unsuccessful") && wrapped > 0) {
            text = text.substring(wrapped + "\nError: ".length());
        }
        // DuckDB puts the useful part first, then "LINE n:" and the statement: keep the line number.
        int end = text.indexOf("\n\nLINE ");
        if (end < 0) {
            return text.strip();
        }
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("LINE (\\d+):").matcher(text.substring(end));
        return text.substring(0, end).strip() + (line.find() ? " (line " + line.group(1) + " of the statement)" : "");
    }

    @Override
    public void close() {
        for (Connection connection : opened) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing anyway.
            }
        }
        if (ownsRoot) {
            try {
                root.close();
            } catch (SQLException ignored) {
                // Closing anyway.
            }
        }
    }
}
