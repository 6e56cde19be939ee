package fr.zlv.entrepot.core.warehouse;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse: a DuckDB file, opened by the one process that writes to it (the default), or a PostgreSQL database
 * that several processes write at once ({@link #isPostgres}).
 *
 * <p>Opening a DuckDB file applies the memory limit, threads and spill directory of the settings and creates the
 * warehouse's schemas. Tables are replaced by building a staging table beside the live one
 * ({@link #stagingTable}) and swapping it in ({@link #swap}): readers see the old table until the
 * swap's transaction commits, and a build that fails or is killed leaves the old table as it was.
 */
public final class Warehouse implements AutoCloseable {

    /** Schemas every warehouse has: raw data by source, and Entrepôt's own bookkeeping. */
    public static final List<String> SCHEMAS = List.of("production", "lovac", "ff", "external", "_entrepot");

    /** Prefix of staging tables; a leftover one (from a killed build) is dropped by {@link #dropStagingTables}. */
    public static final String STAGING_PREFIX = "_entrepot_staging_";

    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
    private static final Pattern LOCK_HOLDER = Pattern.compile("held in (.+?) \\(PID (\\d+)\\)");

    private final Path path;
    /** The DuckDB database's first connection (others are its duplicates); null for PostgreSQL. */
    private final DuckDBConnection duck;
    /** A PostgreSQL warehouse's JDBC URL (with its password); null for DuckDB. */
    private final String postgresUrl;
    /** The connection this object's own queries use (listing tables, counting rows). */
    private final Connection connection;

    private Warehouse(Path path, DuckDBConnection duck, String postgresUrl, Connection connection) {
        this.path = path;
        this.duck = duck;
        this.postgresUrl = postgresUrl;
        this.connection = connection;
    }

    /** Opens (or creates) the warehouse of the settings: its DuckDB file, or its PostgreSQL database. */
    public static Warehouse open(WarehouseSettings settings) {
        if (settings.isPostgres()) {
            return openPostgres(settings.path());
        }
        Path path = Path.of(settings.path()).toAbsolutePath();
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot create the warehouse directory " + path.getParent() + ": "
                    + e.getMessage(), "Check warehouse.path in the settings and the directory's permissions.");
        }
        Properties properties = new Properties();
        if (settings.memoryLimitGb() != null) {
            properties.setProperty("memory_limit", settings.memoryLimitGb() + "GB");
        }
        if (settings.threads() != null) {
            properties.setProperty("threads", String.valueOf(settings.threads()));
        }
        properties.setProperty("temp_directory",
                settings.tempDirectory() != null ? settings.tempDirectory() : path + ".tmp");
        DuckDBConnection connection = null;
        long deadline = System.nanoTime() + settings.lockWaitSeconds() * 1_000_000_000L;
        long pauseMillis = 50;
        while (connection == null) {
            try {
                connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path, properties);
            } catch (SQLException e) {
                // Another process holds the file: wait for it when told to (workers sharing one file take turns).
                boolean locked = String.valueOf(e.getMessage()).contains("Could not set lock on file");
                if (!locked || System.nanoTime() + pauseMillis * 1_000_000L > deadline) {
                    throw explainOpenFailure(path, e);
                }
                sleep(pauseMillis);
                pauseMillis = Math.min(1000, pauseMillis * 2);
            }
        }
        return withSchemas(new Warehouse(path, connection, null, connection));
    }

    /** The opened warehouse once its schemas exist; closed when they cannot be created. */
    private static Warehouse withSchemas(Warehouse warehouse) {
        try {
            warehouse.createSchemas();
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
        return warehouse;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EntrepotException.failed("Interrupted while waiting for the warehouse file.", null, e);
        }
    }

    /** Opens a warehouse in memory (tests and throw-away work). */
    public static Warehouse inMemory() {
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            Warehouse warehouse = new Warehouse(null, connection, null, connection);
            warehouse.createSchemas();
            return warehouse;
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot start DuckDB in memory: " + e.getMessage(), null, e);
        }
    }

    /** Connects to a PostgreSQL warehouse and creates its schemas; fails naming the server when it cannot. */
    private static Warehouse openPostgres(String url) {
        Connection connection;
        try {
            connection = connectPostgres(url);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot connect to the PostgreSQL warehouse " + describeUrl(url) + ": "
                            + firstLine(String.valueOf(e.getMessage())),
                    "Check warehouse.path (ENTREPOT_WAREHOUSE): the server must be up, the database must exist and"
                            + " the user must be able to create schemas in it.", e);
        }
        return withSchemas(new Warehouse(null, null, url, connection));
    }

    private static Connection connectPostgres(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "entrepot warehouse");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, properties);
    }

    /** {@code postgresql://host:port/database} of a JDBC URL: without its user and password, for messages. */
    public static String describeUrl(String url) {
        Properties parts = org.postgresql.Driver.parseURL(url, null);
        if (parts == null) {
            return "(an unreadable PostgreSQL URL)";
        }
        return "postgresql://" + parts.getProperty("PGHOST", "localhost") + ":" + parts.getProperty("PGPORT", "5432")
                + "/" + parts.getProperty("PGDBNAME", "");
    }

    static EntrepotException explainOpenFailure(Path path, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Could not set lock on file")) {
            Matcher holder = LOCK_HOLDER.matcher(message);
            String who = holder.find() ? describeProcess(Long.parseLong(holder.group(2)), holder.group(1))
                    : "another process";
            return EntrepotException.failed("The warehouse " + path + " is in use by " + who + ".",
                    "A DuckDB file has one writer at a time. Wait for that process to end or stop it"
                            + " (an entrepot command, a daemon, or a DuckDB client holding the file).", e);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("not a valid duckdb database file") || lower.contains("corrupt")
                || lower.contains("checksum") || lower.contains("invalid database")) {
            return EntrepotException.failed("The warehouse " + path + " is not a readable DuckDB database"
                            + " (corrupt, truncated, or another kind of file).",
                    "Move it aside (nothing is deleted) and rebuild it: `entrepot ingest production`"
                            + " then the dbt build; published copies are not affected.", e);
        }
        if (lower.contains("version number") || lower.contains("serialization")) {
            return EntrepotException.failed("The warehouse " + path
                            + " was written by another DuckDB version than this one (" + firstLine(message) + ").",
                    "Open it with the DuckDB version that wrote it and EXPORT DATABASE, or rebuild it.", e);
        }
        return EntrepotException.failed("Cannot open the warehouse " + path + ": " + firstLine(message),
                "Check warehouse.path in the settings and the file's permissions.", e);
    }

    private static String describeProcess(long pid, String program) {
        Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
        String command = info.flatMap(ProcessHandle.Info::command).map(c -> Path.of(c).getFileName().toString())
                .orElse(program);
        List<String> arguments = new ArrayList<>();
        String[] given = info.flatMap(ProcessHandle.Info::arguments).orElse(new String[0]);
        for (int i = 0; i < given.length; i++) {
            // A JVM's class path and options hide what it runs; keep the main class or jar and its arguments.
            if (given[i].equals("-cp") || given[i].equals("-classpath") || given[i].equals("--class-path")) {
                i++;
            } else if (!given[i].startsWith("-X") && !given[i].startsWith("-D")) {
                arguments.add(given[i]);
            }
        }
        String what = (command + " " + String.join(" ", arguments)).trim();
        return "another process: PID " + pid + " (" + (what.length() > 160 ? what.substring(0, 157) + "..." : what)
                + ")";
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void createSchemas() {
        try (Statement statement = connection.createStatement()) {
            for (String schema : SCHEMAS) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quote(schema));
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot create the warehouse schemas in " + location() + ": "
                    + e.getMessage(), null, e);
        }
    }

    /** The warehouse file; empty for an in-memory or a PostgreSQL warehouse. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** True for a PostgreSQL warehouse: its SQL is PostgreSQL's, and {@link #connect} opens a new session. */
    public boolean isPostgres() {
        return postgresUrl != null;
    }

    /** A PostgreSQL warehouse's JDBC URL, password included (never log it); empty for DuckDB. */
    public Optional<String> postgresUrl() {
        return Optional.ofNullable(postgresUrl);
    }

    /** The file path, {@code :memory:}, or {@code postgresql://host:port/database}, for messages. */
    public String location() {
        if (postgresUrl != null) {
            return describeUrl(postgresUrl);
        }
        return path == null ? ":memory:" : path.toString();
    }

    /**
     * A new connection to the same database, for one thread's work; the caller closes it. DuckDB connections
     * share the database, its memory limit and its threads; a PostgreSQL one is a new session.
     */
    public Connection connect() {
        try {
            return duck != null ? duck.duplicate() : connectPostgres(postgresUrl);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot open a connection to the warehouse " + location() + ": "
                    + e.getMessage(), null, e);
        }
    }

    /** The staging table that will replace {@code target}: same schema, a prefixed name. */
    public static TableName stagingTable(TableName target) {
        return target.withName(STAGING_PREFIX + target.name());
    }

    /**
     * Replaces each target by its staging table in one transaction: all or none. A target that did
     * not exist is created. After the commit, readers see the new tables.
     */
    public void swap(List<TableName> targets) {
        try (Connection swapConnection = connect(); Statement statement = swapConnection.createStatement()) {
            swapConnection.setAutoCommit(false);
            try {
                for (TableName target : targets) {
                    TableName staging = stagingTable(target);
                    // PostgreSQL refuses to drop a table views read; they go with it (as dbt-postgres does when it
                    // replaces a table) and the next dbt build, which follows in the daily job, creates them again.
                    statement.execute("DROP TABLE IF EXISTS " + target.sql() + (isPostgres() ? " CASCADE" : ""));
                    statement.execute("ALTER TABLE " + staging.sql() + " RENAME TO " + TableName.quote(target.name()));
                }
                swapConnection.commit();
            } catch (SQLException e) {
                swapConnection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot swap in the new tables " + targets + ": " + e.getMessage(),
                    "The previous tables are unchanged.", e);
        }
    }

    /** Drops staging tables left in {@code schema} by a build that failed or was killed. */
    public List<TableName> dropStagingTables(String schema) {
        List<TableName> dropped = new ArrayList<>();
        for (TableName table : tables(schema)) {
            if (table.name().startsWith(STAGING_PREFIX)) {
                execute("DROP TABLE IF EXISTS " + table.sql());
                dropped.add(table);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("Dropped staging tables left by an earlier build: {}", dropped);
        }
        return dropped;
    }

    /**
     * Every schema of the warehouse: the ingestion schemas first, then the others (those the dbt project builds:
     * stg, int, marts...) by name.
     */
    public List<String> schemas() {
        List<String> schemas = new ArrayList<>(SCHEMAS);
        String sql = "SELECT DISTINCT schema_name FROM information_schema.schemata WHERE catalog_name = current_database()"
                + " AND schema_name NOT IN ('information_schema', 'pg_catalog') ORDER BY schema_name";
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                if (!schemas.contains(rows.getString(1))) {
                    schemas.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot list the schemas of " + location() + ": " + e.getMessage(), null, e);
        }
        return schemas;
    }

    /** The base tables of a schema, by name. */
    public List<TableName> tables(String schema) {
        List<TableName> tables = new ArrayList<>();
        String sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY table_name";
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(schema, rows.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot list the tables of schema " + schema + ": " + e.getMessage(),
                    null, e);
        }
        return tables;
    }

    public boolean exists(TableName table) {
        return tables(table.schema()).contains(table);
    }

    public long rowCount(TableName table) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table.sql())) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot count the rows of " + table + ": " + e.getMessage(), null, e);
        }
    }

    /** Runs statements that return nothing. */
    public void execute(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw EntrepotException.failed("Warehouse statement failed: " + e.getMessage(), null, e);
        }
    }

    /** The value of a setting of the engine, e.g. DuckDB's {@code memory_limit} or PostgreSQL's {@code work_mem}. */
    public String setting(String name) {
        return queryString("SELECT current_setting('" + name.replace("'", "''") + "')");
    }

    /** The engine's own version string, e.g. DuckDB's {@code v1.5.4}, or PostgreSQL's {@code PostgreSQL 15.19 ...}. */
    public String engineVersion() {
        return queryString("SELECT version()");
    }

    /** The first value of a query's first row, as text (null for SQL NULL). */
    public String queryValue(String sql) {
        return queryString(sql);
    }

    private String queryString(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw EntrepotException.failed("Warehouse query failed: " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the warehouse {} failed: {}", location(), e.getMessage());
        }
    }
}
