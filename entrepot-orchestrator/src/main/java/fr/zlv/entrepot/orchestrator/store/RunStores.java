package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens run stores: a SQLite file (a plain path, or {@code jdbc:sqlite:PATH}) or a PostgreSQL database
 * ({@code jdbc:postgresql://host:5432/database?user=NAME&password=SECRET}, tables in the schema named by
 * {@code currentSchema}, {@value #DEFAULT_SCHEMA} by default). Opening brings the store's schema to the current
 * version.
 */
public final class RunStores {

    /** The environment variable naming the run store when it is not the default SQLite file. */
    public static final String URL_VARIABLE = "ENTREPOT_STORE_URL";
    /** The PostgreSQL schema of the store when the URL names none with {@code currentSchema}. */
    public static final String DEFAULT_SCHEMA = "entrepot_runs";

    private static final Logger LOG = LoggerFactory.getLogger(RunStores.class);
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final Pattern OTHER_URL = Pattern.compile("(jdbc:.*|[A-Za-z][A-Za-z0-9+.-]+://.*)");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern PASSWORD_IN_USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");
    private static final String POSTGRES_FORM = "jdbc:postgresql://host:5432/database?user=NAME&password=SECRET";
    /** Enough for a few steps writing while the CLI or the web server reads. */
    private static final int CONNECTIONS = 4;
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    private RunStores() {
    }

    /**
     * Opens the store at {@code urlOrPath}: a SQLite file (created with its folder if missing) or a PostgreSQL
     * database.
     *
     * @throws EntrepotException when the URL is not one, the file cannot be had, the server cannot be reached, or
     *                           the store was written by a newer Entrepôt
     */
    public static RunStore open(String urlOrPath) {
        return open(urlOrPath, StoreDialect::migrations);
    }

    /** The store named by {@value #URL_VARIABLE} in {@code environment}, else the SQLite file {@code defaultFile}. */
    public static RunStore open(Map<String, String> environment, Path defaultFile) {
        String url = environment.get(URL_VARIABLE);
        return open(url == null || url.isBlank() ? defaultFile.toString() : url.strip());
    }

    /** Opens a store with the given migrations in place of the shipped ones (tests of the migrations). */
    static JdbcRunStore open(String urlOrPath, Function<StoreDialect, List<Migration>> migrations) {
        if (urlOrPath == null || urlOrPath.isBlank()) {
            throw EntrepotException.badInput("No run store given.", "Give a SQLite file's path, or a PostgreSQL URL "
                    + POSTGRES_FORM + " (" + URL_VARIABLE + ").");
        }
        if (urlOrPath.startsWith(SQLITE_PREFIX)) {
            return openSqlite(urlOrPath.substring(SQLITE_PREFIX.length()), migrations.apply(StoreDialect.SQLITE));
        }
        if (urlOrPath.startsWith(POSTGRES_PREFIX)) {
            return openPostgres(urlOrPath, migrations.apply(StoreDialect.POSTGRESQL));
        }
        if (OTHER_URL.matcher(urlOrPath).matches()) {
            throw EntrepotException.badInput("The run store URL " + redact(urlOrPath) + " is neither SQLite nor"
                    + " PostgreSQL.", "Give a SQLite file's path (or jdbc:sqlite:PATH), or a PostgreSQL URL "
                    + POSTGRES_FORM + ".");
        }
        return openSqlite(urlOrPath, migrations.apply(StoreDialect.SQLITE));
    }

    private static JdbcRunStore openSqlite(String path, List<Migration> migrations) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers (the CLI, the web server) never wait for the writer, nor the writer for them.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
        // A write transaction takes the file's write lock when it begins, so two processes never deadlock on it.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Properties properties = config.toProperties();

        boolean inMemory = path.isEmpty() || path.equals(":memory:");
        String location;
        String url;
        if (inMemory) {
            location = "memory (jdbc:sqlite::memory:, lost on close)";
            url = SQLITE_PREFIX + ":memory:";
        } else {
            Path file = Path.of(path).toAbsolutePath().normalize();
            location = file.toString();
            url = SQLITE_PREFIX + file;
            prepareFolder(file);
        }
        // An in-memory database lives in its one connection.
        ConnectionPool pool = new ConnectionPool(() -> connectSqlite(url, properties),
                inMemory ? 1 : CONNECTIONS);
        try {
            JdbcRunStore store = new JdbcRunStore(StoreDialect.SQLITE, null, location, pool, migrations);
            LOG.debug("Opened {}, schema version {}", store, store.schemaVersionAtOpen());
            return store;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw EntrepotException.failed("Cannot open the run store at " + location + ": "
                            + JdbcRunStore.firstLine(e.getMessage()),
                    "It must be a SQLite file (or not exist yet) in a writable folder; move the file away, or set "
                            + URL_VARIABLE + " to another store.", e);
        }
    }

    /**
     * Connects, trying again while another process holds the file. The driver sets {@code journal_mode=WAL} as it
     * connects; on a new file that needs the file to itself, and SQLite answers SQLITE_BUSY at once rather than
     * wait in its busy handler when another process is doing the same, so two processes opening a new store at once
     * take turns here.
     */
    private static Connection connectSqlite(String url, Properties properties) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SQLITE_BUSY_TIMEOUT_MILLIS);
        long pauseMillis = 5;
        while (true) {
            try {
                return DriverManager.getConnection(url, properties);
            } catch (SQLiteException e) {
                boolean busy = e.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                        || e.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED;
                if (!busy || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the run store file " + url, interrupted);
            }
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    private static void prepareFolder(Path file) {
        if (Files.isDirectory(file)) {
            throw EntrepotException.badInput("The run store " + file + " is a folder, not a SQLite file.",
                    "Name a file, for example " + file.resolve("runs.sqlite") + ".");
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot create the folder " + file.getParent() + " of the run store "
                    + file + ": " + e, "Check the path and the rights on its folders, or set " + URL_VARIABLE
                    + " to another store.");
        }
    }

    private static JdbcRunStore openPostgres(String url, List<Migration> migrations) {
        String location = redact(url);
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        if (parsed == null) {
            throw EntrepotException.badInput("The run store URL " + location + " is not a PostgreSQL JDBC URL.",
                    "Write it as " + POSTGRES_FORM + ".");
        }
        String schema = parsed.getProperty("currentSchema", DEFAULT_SCHEMA).strip();
        if (!SCHEMA.matcher(schema).matches()) {
            throw EntrepotException.badInput("The run store URL " + location + " names the schema '" + schema
                    + "' (currentSchema), not a plain lower-case name.", "Use letters, digits and '_', such as "
                    + DEFAULT_SCHEMA + ", or leave currentSchema out for " + DEFAULT_SCHEMA + ".");
        }
        String password = parsed.getProperty("password", "");
        // Defaults only: what the URL says wins.
        Properties defaults = new Properties();
        defaults.setProperty("connectTimeout", "10");
        defaults.setProperty("ApplicationName", "entrepot run store");
        ConnectionPool pool = new ConnectionPool(() -> connectPostgres(url, defaults, schema), CONNECTIONS);
        try {
            JdbcRunStore store = new JdbcRunStore(StoreDialect.POSTGRESQL, schema, location, pool, migrations);
            LOG.debug("Opened {} (schema {}), schema version {}", store, schema, store.schemaVersionAtOpen());
            return store;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw postgresFailure(location, password, (SQLException) e);
        }
    }

    private static Connection connectPostgres(String url, Properties defaults, String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(url, defaults);
        try (Statement statement = connection.createStatement()) {
            // The schema may not exist yet: the first migration creates it, and unqualified names then land there.
            statement.execute("SET search_path TO " + schema);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static EntrepotException postgresFailure(String location, String password, SQLException e) {
        String detail = JdbcRunStore.firstLine(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            detail = "unknown host " + root.getMessage();
        }
        if (!password.isEmpty()) {
            detail = detail.replace(password, "***");
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message;
        String hint;
        if (state.startsWith("08")) {
            message = "Cannot reach the PostgreSQL server of the run store at " + location + ": " + detail;
            hint = "Start the server, or correct the host and port in " + URL_VARIABLE + " (" + POSTGRES_FORM + ").";
        } else if (state.startsWith("28")) {
            message = "The PostgreSQL server of the run store at " + location + " refused the user: " + detail;
            hint = "Check the user and password in " + URL_VARIABLE + " (" + POSTGRES_FORM + ").";
        } else if (state.equals("3D000")) {
            message = "The PostgreSQL server of the run store at " + location + " has no such database: " + detail;
            hint = "Create the database (CREATE DATABASE …), or name another in " + URL_VARIABLE + ".";
        } else {
            message = "Cannot open the run store at " + location + ": " + detail;
            hint = "The user must be able to create the schema and its tables, or find them made; check its rights.";
        }
        return EntrepotException.failed(message, hint, e);
    }

    /** The URL with any password replaced by {@code ***}, for messages and logs. */
    static String redact(String url) {
        String redacted = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return PASSWORD_IN_USER_INFO.matcher(redacted).replaceAll("$1***@");
    }
}
