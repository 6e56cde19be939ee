package fr.zlv.entrepot.semantic.engine;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.semantic.model.Catalog;
import fr.zlv.entrepot.semantic.model.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published BI file, read-only, as the semantic layer serves it.
 *
 * <p>One in-memory DuckDB instance attaches the file read-only; each version of the file is a {@link Generation}
 * (its own attachment {@code bi_<n>}). At most every {@code checkInterval} a caller looks at the file's identity
 * (inode, modification time, size); when the publisher has renamed a new file over it, the new file is attached as
 * the next generation and becomes current, while the queries running on the old one finish; the old attachment is
 * detached when its last query is done. (Opening the path again through JDBC would not do: DuckDB's instance cache
 * hands back the instance of the old file while one is open.)
 *
 * <p>Queries run on a small pool of connections of that instance, in parallel.
 *
 * @param <T> what is built on each generation (the model checked against its columns, the GraphQL schema)
 */
public final class BiDatabase<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BiDatabase.class);

    private final Path file;
    private final Duration checkInterval;
    private final String timeZone;
    private final Function<Generation<T>, T> builder;
    private final Connection root;
    private final BlockingQueue<Connection> idle;
    private final Semaphore connections;
    private final int poolSize;
    private final List<Connection> all = new ArrayList<>();
    private final AtomicInteger attachments = new AtomicInteger();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Generation<T> current;
    private volatile long lastCheck;
    private volatile FileIdentity rejected;
    private volatile boolean closed;

    /**
     * Opens the file and builds its first generation; fails (exit 2) when the file is missing, not a DuckDB file,
     * or the builder refuses it.
     *
     * @param poolSize      connections that run queries at once
     * @param checkInterval how often, at most, to look for a new file (zero: before every query)
     * @param timeZone      the session time zone (grains of timestamps with time zone, months in Paris time)
     * @param builder       builds what the generation serves from its catalog; throws to refuse the file
     */
    public BiDatabase(Path file, int poolSize, Duration checkInterval, String timeZone,
                      Function<Generation<T>, T> builder) {
        this.file = file.toAbsolutePath().normalize();
        this.checkInterval = checkInterval;
        this.timeZone = timeZone;
        this.builder = builder;
        this.idle = new ArrayBlockingQueue<>(poolSize);
        this.connections = new Semaphore(poolSize);
        this.poolSize = poolSize;
        FileIdentity identity = identity(this.file);
        if (identity == null) {
            throw EntrepotException.badInput("No BI file at " + this.file + ".",
                    "Publish the marts first (entrepot publish --target bi), or give publish.bi_path.");
        }
        try {
            root = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = root.createStatement()) {
                statement.execute("SET TimeZone = '" + timeZone.replace("'", "''") + "'");
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot start DuckDB: " + e.getMessage(), null, e);
        }
        try {
            current = attach(identity);
        } catch (RuntimeException e) {
            closeQuietly(root);
            throw e;
        }
        lastCheck = System.nanoTime();
    }

    public Path file() {
        return file;
    }

    /**
     * The current generation, held until {@link Generation#close()}: the file it reads stays attached meanwhile.
     * Looks for a new file first when the last look is older than the check interval.
     */
    public Generation<T> acquire() {
        if (closed) {
            throw new IllegalStateException("the BI database is closed");
        }
        long now = System.nanoTime();
        if (now - lastCheck >= checkInterval.toNanos() && checking.compareAndSet(false, true)) {
            try {
                lastCheck = now;
                refresh();
            } finally {
                checking.set(false);
            }
        }
        while (true) {
            Generation<T> generation = current;
            if (generation.retain()) {
                return generation;
            }
            // Retired and released between the read and the retain: the next read sees its successor.
            Thread.onSpinWait();
        }
    }

    /** Runs {@code work} on a pooled connection. */
    public <R> R withConnection(SqlWork<R> work) throws SQLException {
        try {
            if (!connections.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new SQLException("all " + poolSize + " connections stayed busy for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        }
        Connection connection = idle.poll();
        try {
            if (connection == null) {
                connection = newConnection();
            }
            return work.run(connection);
        } finally {
            if (connection != null && !idle.offer(connection)) {
                closeQuietly(connection);
            }
            connections.release();
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlWork<R> {
        R run(Connection connection) throws SQLException;
    }

    private Connection newConnection() throws SQLException {
        Connection connection;
        synchronized (root) {
            connection = ((DuckDBConnection) root).duplicate();
            all.add(connection);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = '" + timeZone.replace("'", "''") + "'");
        }
        return connection;
    }

    /** Attaches the file as a new generation when it is not the one served (nor one already refused). */
    private void refresh() {
        FileIdentity identity = identity(file);
        if (identity == null || identity.equals(current.identity()) || identity.equals(rejected)) {
            return;
        }
        Generation<T> next;
        try {
            next = attach(identity);
        } catch (RuntimeException e) {
            rejected = identity;
            LOG.error("The new BI file {} is not served, the previous version stays: {}", file, e.getMessage());
            return;
        }
        Generation<T> previous = current;
        current = next;
        LOG.info("Serving the BI file {} version {} (was {})", file, next.version(), previous.version());
        previous.retire();
    }

    private Generation<T> attach(FileIdentity identity) {
        String alias = "bi_" + attachments.incrementAndGet();
        synchronized (root) {
            try (Statement statement = root.createStatement()) {
                statement.execute("ATTACH '" + file.toString().replace("'", "''") + "' AS " + alias + " (READ_ONLY)");
            } catch (SQLException e) {
                throw EntrepotException.badInput("Cannot open the BI file " + file + ": " + firstLine(e.getMessage()),
                        "Check that it is a DuckDB file written by the publication (entrepot publish --target bi).");
            }
        }
        try {
            Generation<T> generation = readGeneration(alias, identity);
            generation.served = builder.apply(generation);
            return generation;
        } catch (RuntimeException e) {
            detach(alias);
            throw e;
        }
    }

    private Generation<T> readGeneration(String alias, FileIdentity identity) {
        synchronized (root) {
            try {
                Map<String, Map<String, DataType>> tables = new LinkedHashMap<>();
                try (PreparedStatement statement = root.prepareStatement("SELECT table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_catalog = ? AND table_schema = 'main'"
                        + " ORDER BY table_name, ordinal_position")) {
                    statement.setString(1, alias);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            tables.computeIfAbsent(rows.getString(1), t -> new LinkedHashMap<>())
                                    .put(rows.getString(2), DataType.ofDuckDb(rows.getString(3)));
                        }
                    }
                }
                String version = null;
                Map<String, Instant> freshness = new LinkedHashMap<>();
                if (tables.containsKey("published_at")) {
                    try (Statement statement = root.createStatement();
                         ResultSet rows = statement.executeQuery("SELECT table_name, max(published_at), max(version)"
                                 + " FROM " + alias + ".main.published_at GROUP BY table_name")) {
                        while (rows.next()) {
                            LocalDateTime published = rows.getObject(2, LocalDateTime.class);
                            if (published != null) {
                                freshness.put(rows.getString(1), published.toInstant(ZoneOffset.UTC));
                            }
                            String tableVersion = rows.getString(3);
                            if (tableVersion != null && (version == null || tableVersion.compareTo(version) > 0)) {
                                version = tableVersion;
                            }
                        }
                    }
                }
                if (version == null) {
                    // Not written by the publisher: the file's own identity stands for its version.
                    version = "file-" + identity.modified().toEpochMilli() + "-" + identity.size();
                }
                tables.remove("published_at");
                Catalog catalog = new Catalog("the BI file " + file, tables);
                return new Generation<>(this, alias, version, identity, catalog, freshness);
            } catch (SQLException e) {
                throw EntrepotException.badInput("Cannot read the tables of the BI file " + file + ": "
                        + firstLine(e.getMessage()), "Check that it was written by the publication.");
            }
        }
    }

    void detach(String alias) {
        if (closed) {
            return;
        }
        synchronized (root) {
            try (Statement statement = root.createStatement()) {
                statement.execute("DETACH DATABASE IF EXISTS " + alias);
                LOG.debug("Detached {}", alias);
            } catch (SQLException e) {
                LOG.warn("Detaching {} failed: {}", alias, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (root) {
            all.forEach(BiDatabase::closeQuietly);
            closeQuietly(root);
        }
    }

    /** One version of the BI file, attached under its own alias, and what was built on it. */
    public static final class Generation<T> implements AutoCloseable {
        private final BiDatabase<T> database;
        private final String alias;
        private final String version;
        private final FileIdentity identity;
        private final Catalog catalog;
        private final Map<String, Instant> freshness;
        // The database's own hold counts as one: retire() releases it.
        private final AtomicInteger holds = new AtomicInteger(1);
        private T served;

        Generation(BiDatabase<T> database, String alias, String version, FileIdentity identity, Catalog catalog,
                   Map<String, Instant> freshness) {
            this.database = database;
            this.alias = alias;
            this.version = version;
            this.identity = identity;
            this.catalog = catalog;
            this.freshness = Map.copyOf(freshness);
        }

        /** The attachment's name: the catalog of the tables in SQL. */
        public String alias() {
            return alias;
        }

        /** The newest {@code published_at} version of the file. */
        public String version() {
            return version;
        }

        public Catalog catalog() {
            return catalog;
        }

        /** Published table → when it was published (UTC). */
        public Map<String, Instant> freshness() {
            return freshness;
        }

        public T served() {
            return served;
        }

        FileIdentity identity() {
            return identity;
        }

        boolean retain() {
            while (true) {
                int count = holds.get();
                if (count <= 0) {
                    return false;
                }
                if (holds.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        void retire() {
            release();
        }

        private void release() {
            if (holds.decrementAndGet() == 0) {
                database.detach(alias);
            }
        }

        /** Releases the hold taken by {@link BiDatabase#acquire()}. */
        @Override
        public void close() {
            release();
        }
    }

    /** What tells two files at one path apart. */
    record FileIdentity(Object key, Instant modified, long size) {
    }

    private static FileIdentity identity(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileIdentity(Objects.requireNonNullElse(attributes.fileKey(), ""),
                    attributes.lastModifiedTime().toInstant(), attributes.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("Cannot read the attributes of {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a connection: {}", e.getMessage());
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
