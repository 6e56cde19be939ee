package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily copy of the production database into the warehouse's schema {@code production}.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>open a read-only REPEATABLE READ transaction and refuse a session or user that could write
 *       ({@link ReadOnlyGuard});</li>
 *   <li>describe each table from the catalog, in that snapshot: columns, types ({@link ColumnMapping}),
 *       partitions, size; large tables are cut in page ranges ({@link SourceCatalog});</li>
 *   <li>export the snapshot, so several sessions read the same state of the database: no housing
 *       without its owners, whatever was committed meanwhile;</li>
 *   <li>read the slices in parallel, each through a COPY streamed into DuckDB's CSV reader
 *       ({@link CsvPipe}), or, for a PostgreSQL warehouse, into the warehouse's own COPY FROM
 *       ({@link CopyRelay}), into staging tables beside the live ones;</li>
 *   <li>check each table's rows in the warehouse against PostgreSQL's COPY count;</li>
 *   <li>swap every staging table in, in one transaction of the warehouse, and record the sync in
 *       {@code _entrepot.production_sync}.</li>
 * </ol>
 * A failure at any step leaves the live tables as they were.
 *
 * <p>In DuckDB, columns take the DuckDB type of {@link ColumnMapping}; in a PostgreSQL warehouse they keep
 * PostgreSQL's own type ({@link PgColumn#postgresType}). There, replacing a table drops the views that read it
 * (see {@link Warehouse#swap}).
 */
public final class ProductionSync {

    /** Told of progress; methods may be called from several threads. */
    public interface Listener {
        default void planned(List<SourceTable> tables) {
        }

        default void rows(String table, long rows) {
        }

        Listener NONE = new Listener() {
        };
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProductionSync.class);
    static final TableName HISTORY = new TableName("_entrepot", "production_sync");

    private final ProductionSettings settings;
    private final Warehouse warehouse;
    private final ProductionConnections connections;

    public ProductionSync(ProductionSettings settings, Warehouse warehouse) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.connections = new ProductionConnections(settings);
    }

    /** Syncs the configured tables, or only those named in {@code only}. */
    public SyncReport run(List<String> only, Listener listener) {
        List<ProductionTable> tables = select(only);
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        warehouse.dropStagingTables("production");
        Path pipes = temporaryDirectory();
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "production-sync");
            thread.setDaemon(true);
            return thread;
        });
        List<TableName> stagedTargets = new ArrayList<>();
        try (Connection coordinator = connections.open()) {
            List<SourceTable> sources = describe(coordinator, tables);
            sources.forEach(source -> source.warnings().forEach(w -> LOG.warn("production.{}: {}", source.name(), w)));
            listener.planned(sources);
            String snapshot = exportSnapshot(coordinator);
            for (SourceTable source : sources) {
                stagedTargets.add(createStaging(source));
            }
            Map<String, TableProgress> progress = copyAll(sources, snapshot, coordinator, pipes, threads, listener);
            for (SourceTable source : sources) {
                reconcile(source, progress.get(source.name()));
            }
            warehouse.swap(sources.stream().map(ProductionSync::target).toList());
            stagedTargets.clear();
            coordinator.rollback();
            SyncReport report = report(startedAt, started, snapshot, sources, progress);
            recordHistory(report);
            return report;
        } catch (SQLException e) {
            throw connections.explain(e);
        } finally {
            threads.shutdownNow();
            dropStaging(stagedTargets);
            deleteQuietly(pipes);
        }
    }

    /**
     * What a sync would copy, without copying: each table's columns and their warehouse types, and the slices
     * it would be read in. Runs the same read-only checks as {@link #run}.
     */
    public List<SourceTable> plan(List<String> only) {
        List<ProductionTable> tables = select(only);
        try (Connection coordinator = connections.open()) {
            List<SourceTable> sources = describe(coordinator, tables);
            coordinator.rollback();
            return sources;
        } catch (SQLException e) {
            throw connections.explain(e);
        }
    }

    /** Starts the snapshot's transaction, refuses a session that could write, and describes the tables in it. */
    private List<SourceTable> describe(Connection coordinator, List<ProductionTable> tables) throws SQLException {
        coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        List<String> qualified = tables.stream()
                .map(t -> TableName.quote(settings.schema()) + "." + TableName.quote(t.source())).toList();
        ReadOnlyGuard.check(coordinator, qualified, settings.requireReadOnlyUser());
        SourceCatalog catalog = new SourceCatalog(coordinator, settings.database());
        List<SourceTable> sources = new ArrayList<>();
        for (ProductionTable table : tables) {
            sources.add(catalog.describe(settings.schema(), table, settings.slicePages()));
        }
        return sources;
    }

    /** Drops the staging tables of a sync that did not finish; the next sync would drop them anyway. */
    private void dropStaging(List<TableName> targets) {
        for (TableName target : targets) {
            try {
                warehouse.execute("DROP TABLE IF EXISTS " + Warehouse.stagingTable(target).sql());
            } catch (RuntimeException e) {
                LOG.warn("Could not drop the staging table of {}: {}", target, e.getMessage());
            }
        }
    }

    private List<ProductionTable> select(List<String> only) {
        List<ProductionTable> configured = settings.tables();
        if (configured.isEmpty()) {
            throw EntrepotException.badInput("No production tables are configured (production.tables is empty).",
                    "List the tables to copy under production.tables in the settings.");
        }
        if (only == null || only.isEmpty()) {
            return configured;
        }
        List<ProductionTable> chosen = new ArrayList<>();
        for (String name : only) {
            ProductionTable table = configured.stream().filter(t -> t.name().equals(name) || t.source().equals(name))
                    .findFirst().orElseThrow(() -> EntrepotException.badInput("Unknown production table '" + name + "'.",
                            "Configured tables: " + configured.stream().map(ProductionTable::name)
                                    .collect(Collectors.joining(", ")) + "."));
            if (!chosen.contains(table)) {
                chosen.add(table);
            }
        }
        return chosen;
    }

    private static TableName target(SourceTable source) {
        return new TableName("production", source.name());
    }

    /** The snapshot id other sessions import, or null when the server cannot export one (they then read in turn). */
    private static String exportSnapshot(Connection coordinator) {
        try (Statement statement = coordinator.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_export_snapshot()")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            LOG.warn("The production server cannot export a snapshot ({}); tables are read one after the other in a"
                    + " single session", e.getMessage());
            try {
                coordinator.rollback();
            } catch (SQLException ignored) {
                // The next statement reports a broken session.
            }
            return null;
        }
    }

    private TableName createStaging(SourceTable source) {
        TableName target = target(source);
        String staging = Warehouse.stagingTable(target).sql();
        if (warehouse.isPostgres()) {
            String columns = source.mappings().stream().map(ColumnMapping::postgresDefinition)
                    .collect(Collectors.joining(", "));
            warehouse.execute("DROP TABLE IF EXISTS " + staging);
            warehouse.execute("CREATE TABLE " + staging + " (" + columns + ")");
        } else {
            String columns = source.mappings().stream().map(ColumnMapping::duckDefinition)
                    .collect(Collectors.joining(", "));
            warehouse.execute("CREATE OR REPLACE TABLE " + staging + " (" + columns + ")");
        }
        return target;
    }

    /** Counts of one table's slices, filled in by the workers. */
    static final class TableProgress {
        final AtomicLong rows = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong inserted = new AtomicLong();
        final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastEnd = new AtomicLong();
        final AtomicLong slices = new AtomicLong();
    }

    private record Work(SourceTable table, SourceTable.Slice slice, int number) {
    }

    private Map<String, TableProgress> copyAll(List<SourceTable> sources, String snapshot, Connection coordinator,
                                               Path pipes, ExecutorService threads, Listener listener)
            throws SQLException {
        Map<String, TableProgress> progress = new LinkedHashMap<>();
        List<Work> work = new ArrayList<>();
        int number = 0;
        for (SourceTable source : sources) {
            progress.put(source.name(), new TableProgress());
            for (SourceTable.Slice slice : source.slices()) {
                work.add(new Work(source, slice, number++));
            }
        }
        // Largest first, so the last slices to run are short ones and the workers finish together.
        work.sort(Comparator.comparingLong((Work w) -> -w.table().bytesOnDisk() / w.table().slices().size()));
        ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>(work);
        CsvPipe pipe = warehouse.isPostgres() ? null : new CsvPipe(threads, CsvPipe.namedPipesWork(pipes));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();

        int workers = snapshot == null ? 1 : Math.min(settings.parallelism(), Math.max(1, work.size()));
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            boolean useCoordinator = snapshot == null;
            running.add(threads.submit(() -> {
                try (Connection duck = warehouse.connect()) {
                    if (warehouse.isPostgres()) {
                        CopyRelay.prepare(duck);
                    }
                    Connection source = useCoordinator ? coordinator : joinSnapshot(snapshot);
                    try {
                        Work next;
                        while (failure.get() == null && (next = queue.poll()) != null) {
                            copySlice(next, source, duck, pipe, pipes, progress.get(next.table().name()), listener);
                        }
                    } finally {
                        if (!useCoordinator) {
                            source.close();
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } catch (SQLException e) {
                    failure.compareAndSet(null, connections.explain(e));
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> worker : running) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw EntrepotException.failed("The production sync was interrupted.", "The previous tables are unchanged.", e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure.compareAndSet(null, new IllegalStateException(e.getCause()));
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return progress;
    }

    private Connection joinSnapshot(String snapshot) throws SQLException {
        Connection connection = connections.open();
        try {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Copies one slice into its staging table: through {@code pipe} into DuckDB, or, when it is null, by COPY. */
    private void copySlice(Work work, Connection source, Connection duck, CsvPipe pipe, Path pipes,
                           TableProgress progress, Listener listener) {
        SourceTable table = work.table();
        long start = System.nanoTime();
        progress.firstStart.accumulateAndGet(start, Math::min);
        String staging = Warehouse.stagingTable(target(table)).sql();
        try {
            CsvPipe.Result result = pipe == null
                    ? CopyRelay.transfer(source, table.postgresCopySql(work.slice()), duck,
                            CopyRelay.copyInSql(table, staging), rows -> listener.rows(table.name(), rows))
                    : pipe.transfer(source, table.copySql(work.slice()), duck,
                            file -> insertSql(table, staging, file), pipes.resolve("slice-" + work.number() + ".csv"),
                            rows -> listener.rows(table.name(), rows));
            progress.rows.addAndGet(result.rows());
            progress.bytes.addAndGet(result.bytes());
            progress.inserted.addAndGet(result.inserted());
            progress.slices.incrementAndGet();
            progress.lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
        } catch (SQLException e) {
            throw EntrepotException.failed("Copying production." + table.name() + " (from " + table.qualifiedName()
                            + ", " + work.slice().fromClause() + ") failed: " + describeFailure(table, e),
                    "The previous production tables are unchanged.", e);
        } catch (IOException e) {
            throw EntrepotException.failed("Copying production." + table.name() + " failed while streaming: "
                    + e.getMessage(), "The previous production tables are unchanged.", e);
        }
    }

    /** The DuckDB statement that reads one slice's CSV into the staging table, converting each column. */
    public static String insertSql(SourceTable table, String staging, String file) {
        StringBuilder targets = new StringBuilder();
        StringBuilder expressions = new StringBuilder();
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < table.mappings().size(); i++) {
            ColumnMapping mapping = table.mappings().get(i);
            String separator = i == 0 ? "" : ", ";
            targets.append(separator).append(TableName.quote(mapping.column().name()));
            expressions.append(separator).append(mapping.duckExpression());
            columns.append(separator).append("'c").append(i).append("': '").append(mapping.csvType().replace("'", "''"))
                    .append("'");
        }
        return "INSERT INTO " + staging + " (" + targets + ") SELECT " + expressions
                + " FROM read_csv('" + file.replace("'", "''") + "', header = false, auto_detect = false,"
                + " delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false, compression = 'none',"
                + " max_line_size = 8388608, buffer_size = 16777216, columns = {" + columns + "})";
    }

    private void reconcile(SourceTable source, TableProgress progress) {
        long inWarehouse = warehouse.rowCount(Warehouse.stagingTable(target(source)));
        if (inWarehouse != progress.rows.get() || progress.inserted.get() != progress.rows.get()) {
            throw EntrepotException.failed("production." + source.name() + ": PostgreSQL sent " + progress.rows.get()
                            + " rows but " + (warehouse.isPostgres() ? "the PostgreSQL warehouse" : "DuckDB")
                            + " holds " + inWarehouse + "; the table is not swapped in.",
                    "The previous production tables are unchanged. Run the sync again; if it repeats, report it.",
                    null);
        }
    }

    private SyncReport report(Instant startedAt, long started, String snapshot, List<SourceTable> sources,
                              Map<String, TableProgress> progress) {
        List<SyncReport.TableReport> tables = new ArrayList<>();
        for (SourceTable source : sources) {
            TableProgress table = progress.get(source.name());
            double seconds = table.slices.get() == 0 ? 0 : (table.lastEnd.get() - table.firstStart.get()) / 1e9;
            tables.add(new SyncReport.TableReport(source.name(), source.qualifiedName(), table.rows.get(),
                    table.bytes.get(), seconds, source.slices().size(), source.warnings()));
        }
        String where = connections.where() + "/" + settings.database();
        return new SyncReport(startedAt, where, snapshot, (System.nanoTime() - started) / 1e9, tables);
    }

    private void recordHistory(SyncReport report) {
        try (Connection duck = warehouse.connect()) {
            // Valid SQL for DuckDB and PostgreSQL alike.
            try (Statement statement = duck.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + HISTORY.sql() + " (synced_at TIMESTAMPTZ,"
                        + " table_name VARCHAR, source VARCHAR, source_server VARCHAR, rows BIGINT, bytes BIGINT,"
                        + " seconds DOUBLE PRECISION, slices INTEGER, snapshot VARCHAR)");
            }
            try (PreparedStatement insert = duck.prepareStatement("INSERT INTO " + HISTORY.sql()
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (SyncReport.TableReport table : report.tables()) {
                    insert.setTimestamp(1, Timestamp.from(report.startedAt()));
                    insert.setString(2, table.table());
                    insert.setString(3, table.source());
                    insert.setString(4, report.source());
                    insert.setLong(5, table.rows());
                    insert.setLong(6, table.bytes());
                    insert.setDouble(7, table.seconds());
                    insert.setInt(8, table.slices());
                    insert.setString(9, report.snapshot());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            // The tables are in; only the bookkeeping failed.
            LOG.warn("Recording the sync in {} failed: {}", HISTORY, e.getMessage());
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("entrepot-sync-");
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create a temporary directory for the sync: " + e.getMessage(),
                    "Check that java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable.", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", directory, e.getMessage());
        }
    }

    /**
     * DuckDB's or PostgreSQL's message, with DuckDB's CSV field names (c0, c1...) replaced by the columns'
     * names, and without the offending line itself: it may hold personal data.
     */
    static String describeFailure(SourceTable table, SQLException e) {
        List<String> kept = new ArrayList<>();
        for (String line : String.valueOf(e.getMessage()).split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("Original Line") && !trimmed.startsWith("Possible Solution")
                    && !trimmed.startsWith("*") && !trimmed.startsWith("file =") && !trimmed.startsWith("delimiter")) {
                kept.add(trimmed);
            }
        }
        String message = String.join(" ", kept.subList(0, Math.min(3, kept.size())));
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("\"c(\\d+)\"").matcher(message);
        StringBuilder named = new StringBuilder();
        while (field.find()) {
            int index = Integer.parseInt(field.group(1));
            String name = index < table.mappings().size() ? table.mappings().get(index).column().name() : field.group();
            field.appendReplacement(named, java.util.regex.Matcher.quoteReplacement("\"" + name + "\""));
        }
        field.appendTail(named);
        return named.toString();
    }
}
