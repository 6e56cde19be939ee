package fr.zlv.entrepot.ingest.files;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.PostgresColumn;
import fr.zlv.entrepot.core.warehouse.DuckDbToPostgres;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.ingest.storage.FileCache;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one source's file into its warehouse table.
 *
 * <p>Steps, in order: skip the load when the file's version and the catalog entry are those of the last load
 * (unless forced); refuse an empty file; read the columns and check them against the expected ones (a missing
 * column fails the load, naming what looks renamed; extra ones are reported); build the table beside the live
 * one with DuckDB's own readers ({@code read_csv}, {@code read_parquet}) or, for XLSX, the streaming reader
 * and the appender; set rows that cannot be read aside in {@code <target>_rejects} (file, line, column, error),
 * or fail on the first one when the source says {@code on_error: fail}; check the row count bounds; swap the
 * table and its rejects in together; record the load in {@code _entrepot.file_loads}.
 *
 * <p>Into a PostgreSQL warehouse, the same steps run in a scratch DuckDB (in memory for small files), whose
 * finished tables are then copied into PostgreSQL's staging tables (COPY, lower-case column names) and swapped in.
 */
public final class FileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(FileLoader.class);
    static final TableName HISTORY = new TableName("_entrepot", "file_loads");
    private static final String REJECT_COLUMNS = "file VARCHAR, line BIGINT, \"column\" VARCHAR, error_type VARCHAR,"
            + " error VARCHAR, csv_line VARCHAR";

    private final Warehouse warehouse;
    private final Path workDirectory;
    private final long inMemoryBytes;

    /**
     * @param workDirectory where files re-encoded to UTF-8 are kept (beside the download cache)
     */
    public FileLoader(Warehouse warehouse, Path workDirectory) {
        this(warehouse, workDirectory, IN_MEMORY_BYTES);
    }

    /** @param inMemoryBytes files from this size are read into a scratch DuckDB file (PostgreSQL warehouse) */
    FileLoader(Warehouse warehouse, Path workDirectory, long inMemoryBytes) {
        this.warehouse = warehouse;
        this.workDirectory = workDirectory;
        this.inMemoryBytes = inMemoryBytes;
    }

    /** The columns the file has, as the load would read them: for {@code sources validate --files}. */
    public List<String> columnsOf(FileSource source, FileCache.Fetched fetched) {
        // DuckDB reads the file; a PostgreSQL warehouse lends it nothing.
        try (Warehouse reader = warehouse.isPostgres() ? Warehouse.inMemory() : null;
             Connection connection = (reader != null ? reader : warehouse).connect()) {
            Path file = prepare(source, fetched.file());
            return source.format() == FileSource.Format.XLSX ? XlsxTable.header(file, source.read())
                    : describe(connection, readExpression(source, file, null, false)).keySet().stream().toList();
        } catch (SQLException e) {
            throw failure(source, fetched, e);
        }
    }

    public LoadReport load(FileSource source, FileCache.Fetched fetched, boolean force, LongConsumer rows) {
        long started = System.nanoTime();
        TableName target = source.target();
        if (!force && unchanged(source, fetched)) {
            long count = warehouse.rowCount(target);
            long rejected = warehouse.exists(source.rejectsTable()) ? warehouse.rowCount(source.rejectsTable()) : 0;
            return report(source, fetched, LoadReport.Status.UNCHANGED, count, rejected, List.of(), started);
        }
        if (fetched.info().size() == 0) {
            throw EntrepotException.badInput(source.name() + ": the file " + source.location() + " is empty (0 bytes).",
                    "The previous table " + target + " is unchanged. Check the file at its source.");
        }
        TableName staging = Warehouse.stagingTable(target);
        TableName rejectsStaging = Warehouse.stagingTable(source.rejectsTable());
        try {
            Path file = prepare(source, fetched.file());
            Built built;
            if (warehouse.isPostgres()) {
                built = buildForPostgres(source, fetched, file, staging, rejectsStaging, rows);
            } else {
                try (Connection connection = warehouse.connect()) {
                    built = build(source, file, connection, staging, rejectsStaging, rows);
                } catch (SQLException e) {
                    throw failure(source, fetched, e);
                }
            }
            warehouse.swap(List.of(target, source.rejectsTable()));
            LoadReport report = report(source, fetched, LoadReport.Status.LOADED, built.rows(), built.rejected(),
                    built.extra(), started);
            try (Connection connection = warehouse.connect()) {
                record(connection, source, fetched, report);
            } catch (SQLException e) {
                throw failure(source, fetched, e);
            }
            return report;
        } finally {
            dropQuietly(staging);
            dropQuietly(rejectsStaging);
        }
    }

    /** What a build left in the staging tables: rows kept, rows rejected, the file's columns not expected. */
    private record Built(long rows, long rejected, List<String> extra) {
    }

    /**
     * Reads the file into the staging table and its rejects beside it, on a DuckDB connection, and checks the row
     * count. Nothing is swapped in yet.
     */
    private Built build(FileSource source, Path file, Connection connection, TableName staging,
                        TableName rejectsStaging, LongConsumer rows) throws SQLException {
        List<String> extra;
        if (source.format() == FileSource.Format.XLSX) {
            extra = loadXlsx(source, file, connection, staging, rejectsStaging, rows);
        } else {
            extra = loadWithDuckDb(source, file, connection, staging, rejectsStaging);
        }
        long count = count(connection, staging);
        long rejected = count(connection, rejectsStaging);
        rows.accept(source.format() == FileSource.Format.XLSX ? 0 : count);
        checkRowCount(source, count, rejected);
        return new Built(count, rejected, extra);
    }

    // ------------------------------------------------------------------ into a PostgreSQL warehouse

    /** Files below this size are read into a DuckDB in memory; larger ones into a scratch DuckDB file. */
    static final long IN_MEMORY_BYTES = 16L << 20;

    /**
     * Builds the staging tables in a scratch DuckDB (DuckDB stays the reader of every format, with the same checks
     * and messages), then copies them into the PostgreSQL warehouse's staging tables in one transaction, with
     * lower-case column names. The scratch database is deleted after.
     */
    private Built buildForPostgres(FileSource source, FileCache.Fetched fetched, Path file, TableName staging,
                                   TableName rejectsStaging, LongConsumer rows) {
        Path scratchFile = null;
        try {
            if (Files.size(file) >= inMemoryBytes) {
                Path directory = Files.createDirectories(workDirectory.resolve("scratch"));
                removeAbandonedScratch(directory);
                scratchFile = directory.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "@" + HOST + "--"
                        + source.name() + "-" + UUID.randomUUID() + ".duckdb");
            }
        } catch (IOException e) {
            throw EntrepotException.failed(source.name() + ": cannot create a scratch database under " + workDirectory
                    + ": " + e.getMessage(), "Check the cache directory's permissions and free space.", e);
        }
        try (Warehouse scratch = scratchFile == null ? Warehouse.inMemory()
                : Warehouse.open(new WarehouseSettings(scratchFile.toString(), null, null, null));
             Connection duck = scratch.connect()) {
            Built built;
            List<PostgresColumn> columns;
            List<PostgresColumn> rejectColumns;
            try {
                built = build(source, file, duck, staging, rejectsStaging, rows);
                columns = lowerCase(source, DuckDbToPostgres.columnsOf(duck, staging));
                rejectColumns = DuckDbToPostgres.columnsOf(duck, rejectsStaging);
            } catch (SQLException e) {
                throw failure(source, fetched, e);
            }
            try (Connection pg = warehouse.connect()) {
                pg.setAutoCommit(false);
                try {
                    DuckDbToPostgres.copy(duck, staging, columns, pg, staging);
                    DuckDbToPostgres.copy(duck, rejectsStaging, rejectColumns, pg, rejectsStaging);
                    pg.commit();
                } catch (SQLException e) {
                    pg.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw EntrepotException.failed(source.name() + ": copying " + source.location() + " into the"
                                + " PostgreSQL warehouse " + warehouse.location() + " failed: " + firstLine(e.getMessage()),
                        "The previous table " + source.target() + " is unchanged. Check that the warehouse's user can"
                                + " create tables in the schema " + source.target().schema() + ".", e);
            }
            return built;
        } catch (SQLException e) {
            throw failure(source, fetched, e);
        } finally {
            if (scratchFile != null) {
                deleteScratch(scratchFile);
            }
        }
    }

    /**
     * The columns under lower-case names: PostgreSQL folds the unquoted names of the models to lower case. Two
     * columns that would get the same name fail the load (DuckDB already renames {@code Dep, dep} in a CSV header
     * to {@code Dep, dep_1}; a workbook's header, or letters beyond ASCII, can still clash).
     */
    static List<PostgresColumn> lowerCase(FileSource source, List<PostgresColumn> columns) {
        Map<String, String> taken = new LinkedHashMap<>();
        List<PostgresColumn> lowered = new ArrayList<>();
        for (PostgresColumn column : columns) {
            String lower = column.name().toLowerCase(Locale.ROOT);
            String other = taken.putIfAbsent(lower, column.name());
            if (other != null) {
                throw EntrepotException.badInput(source.name() + ": the file " + source.location() + " has the"
                                + " columns " + other + " and " + column.name() + ", which are both " + lower
                                + " in a PostgreSQL warehouse.",
                        "PostgreSQL keeps the column names in lower case (the models name them unquoted), so it cannot"
                                + " hold both. Ask the producer for distinct names, or load the source into a DuckDB"
                                + " warehouse. The previous table " + source.target() + " is unchanged.");
            }
            lowered.add(column.withName(lower));
        }
        return lowered;
    }

    private static final String SCRATCH_PREFIX = "scratch-";
    private static final java.util.regex.Pattern SCRATCH_OWNER =
            java.util.regex.Pattern.compile("^" + SCRATCH_PREFIX + "(\\d+)@(.+?)--.*\\.duckdb$");
    private static final String HOST = hostName();

    /**
     * Deletes the scratch databases left by loads killed on this machine: a scratch file is named after the process
     * and the host that made it, and one whose process no longer runs here is abandoned. Files of another host (a
     * shared cache directory) and of running processes are left alone.
     */
    static void removeAbandonedScratch(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                var owner = SCRATCH_OWNER.matcher(file.getFileName().toString());
                if (owner.matches() && owner.group(2).equals(HOST)
                        && !ProcessHandle.of(Long.parseLong(owner.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    LOG.info("Deleting the scratch database {}, left by a load that was stopped", file);
                    deleteScratch(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not look for abandoned scratch databases in {}: {}", directory, e.getMessage());
        }
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replace("--", "-");
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void deleteScratch(Path scratchFile) {
        Path temp = Path.of(scratchFile + ".tmp");
        try {
            Files.deleteIfExists(scratchFile);
            Files.deleteIfExists(Path.of(scratchFile + ".wal"));
            if (Files.isDirectory(temp)) {
                try (var walk = Files.walk(temp)) {
                    for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the scratch database {}: {}", scratchFile, e.getMessage());
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    // ------------------------------------------------------------------ CSV and Parquet, read by DuckDB

    private List<String> loadWithDuckDb(FileSource source, Path file, Connection connection, TableName staging,
                                        TableName rejectsStaging) throws SQLException {
        Map<String, String> columns = describe(connection, readExpression(source, file, null, false));
        List<String> extra = checkColumns(source, new ArrayList<>(columns.keySet()));
        boolean rejecting = source.onError() == FileSource.OnError.REJECT && source.format() == FileSource.Format.CSV;
        String rejects = "reject_errors_" + Math.abs(staging.name().hashCode());
        String select = "SELECT " + projection(source, columns) + " FROM "
                + readExpression(source, file, rejecting ? rejects : null, true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TABLE " + staging.sql() + " AS " + select);
            if (rejecting) {
                statement.execute("CREATE OR REPLACE TABLE " + rejectsStaging.sql() + " AS SELECT "
                        + literal(source.location().toString()) + " AS file, line, column_name AS \"column\","
                        + " CAST(error_type AS VARCHAR) AS error_type, error_message AS error, csv_line FROM " + rejects
                        + " ORDER BY line");
            } else {
                statement.execute("CREATE OR REPLACE TABLE " + rejectsStaging.sql() + " (" + REJECT_COLUMNS + ")");
            }
        }
        return extra;
    }

    /** The read_csv or read_parquet call for a file. */
    static String readExpression(FileSource source, Path file, String rejectsTable, boolean withTypes) {
        String path = literal(file.toString());
        if (source.format() == FileSource.Format.PARQUET) {
            return "read_parquet(" + path + ")";
        }
        ReadOptions read = source.read();
        List<String> options = new ArrayList<>();
        if (read.delimiter() != null) {
            options.add("delim = " + literal(read.delimiter().equals("\\t") ? "\t" : read.delimiter()));
        }
        if (read.quote() != null) {
            options.add("quote = " + literal(read.quote()));
        }
        if (read.escape() != null) {
            options.add("escape = " + literal(read.escape()));
        }
        if (read.header() != null) {
            options.add("header = " + read.header());
        }
        if (read.skipRows() != null) {
            options.add("skip = " + read.skipRows());
        }
        String encoding = read.encodingOrDefault();
        if (encoding.equals("latin-1") || encoding.equals("utf-16")) {
            options.add("encoding = " + literal(encoding));
        }
        if (read.decimalSeparator() != null) {
            options.add("decimal_separator = " + literal(read.decimalSeparator()));
        }
        if (read.dateFormat() != null) {
            options.add("dateformat = " + literal(read.dateFormat()));
        }
        if (read.timestampFormat() != null) {
            options.add("timestampformat = " + literal(read.timestampFormat()));
        }
        if (read.nullString() != null) {
            options.add("nullstr = " + literal(read.nullString()));
        }
        if (withTypes && !source.types().isEmpty()) {
            options.add("types = {" + source.types().entrySet().stream()
                    .map(type -> literal(type.getKey()) + ": " + literal(type.getValue()))
                    .collect(Collectors.joining(", ")) + "}");
        }
        if (rejectsTable != null) {
            options.add("store_rejects = true, rejects_table = " + literal(rejectsTable) + ", rejects_scan = "
                    + literal(rejectsTable + "_scan"));
        }
        return "read_csv(" + path + (options.isEmpty() ? "" : ", " + String.join(", ", options)) + ")";
    }

    /** The select list: every column, with Parquet's type overrides as casts (CSV gets them in read_csv). */
    private static String projection(FileSource source, Map<String, String> columns) {
        if (source.format() != FileSource.Format.PARQUET || source.types().isEmpty()) {
            return "*";
        }
        return "* REPLACE (" + source.types().entrySet().stream()
                .map(type -> "CAST(" + TableName.quote(type.getKey()) + " AS " + type.getValue() + ") AS "
                        + TableName.quote(type.getKey()))
                .collect(Collectors.joining(", ")) + ")";
    }

    private static Map<String, String> describe(Connection connection, String read) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + read)) {
            while (rows.next()) {
                columns.put(rows.getString("column_name"), rows.getString("column_type"));
            }
        }
        return columns;
    }

    // ------------------------------------------------------------------ XLSX, streamed through the appender

    private List<String> loadXlsx(FileSource source, Path file, Connection connection, TableName staging,
                                  TableName rejectsStaging, LongConsumer rows) throws SQLException {
        List<String> header = XlsxTable.header(file, source.read());
        List<String> extra = checkColumns(source, header);
        TableName raw = staging.withName(staging.name() + "_raw");
        try {
            XlsxTable.Read read = XlsxTable.appendTo(file, source.read(), connection, raw, rows);
            List<String> casts = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            boolean rejecting = source.onError() == FileSource.OnError.REJECT;
            for (int c = 0; c < read.columns().size(); c++) {
                String column = read.columns().get(c);
                String type = source.types().getOrDefault(column, read.inferredTypes().get(c));
                String quoted = TableName.quote(column);
                casts.add((rejecting ? "TRY_CAST(" : "CAST(") + quoted + " AS " + type + ") AS " + quoted);
                failures.add("SELECT " + literal(source.location().toString()) + " AS file, " + XlsxTable.ROW_NUMBER
                        + " AS line, " + literal(column) + " AS \"column\", 'CAST' AS error_type, 'cannot convert '''"
                        + " || " + quoted + " || ''' to " + type + "' AS error, NULL AS csv_line FROM " + raw.sql()
                        + " WHERE " + quoted + " IS NOT NULL AND TRY_CAST(" + quoted + " AS " + type + ") IS NULL");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE OR REPLACE TABLE " + rejectsStaging.sql() + " (" + REJECT_COLUMNS + ")");
                if (rejecting && !failures.isEmpty()) {
                    statement.execute("INSERT INTO " + rejectsStaging.sql() + " " + String.join(" UNION ALL ", failures)
                            + " ORDER BY line");
                }
                String keep = rejecting ? " WHERE " + XlsxTable.ROW_NUMBER + " NOT IN (SELECT line FROM "
                        + rejectsStaging.sql() + ")" : "";
                statement.execute("CREATE OR REPLACE TABLE " + staging.sql() + " AS SELECT "
                        + (casts.isEmpty() ? "*" : String.join(", ", casts)) + " FROM " + raw.sql() + keep
                        + " ORDER BY " + XlsxTable.ROW_NUMBER);
            }
            return extra;
        } finally {
            dropQuietly(raw);
        }
    }

    // ------------------------------------------------------------------ checks

    /** Fails when an expected column is missing (naming those that look renamed); returns the extra ones. */
    private static List<String> checkColumns(FileSource source, List<String> actual) {
        List<String> expected = source.expect().columns();
        List<String> missing = expected.stream().filter(column -> !actual.contains(column)).toList();
        List<String> extra = expected.isEmpty() ? List.of()
                : actual.stream().filter(column -> !expected.contains(column)).toList();
        List<String> typesWithoutColumn = source.types().keySet().stream().filter(column -> !actual.contains(column))
                .sorted().toList();
        if (!missing.isEmpty()) {
            List<String> described = new ArrayList<>();
            for (String column : missing) {
                String renamed = extra.stream()
                        .filter(candidate -> candidate.equalsIgnoreCase(column)
                                || EditDistance.between(normalise(candidate), normalise(column)) <= 2)
                        .findFirst().map(candidate -> " (renamed " + candidate + "?)").orElse("");
                described.add(column + renamed);
            }
            throw EntrepotException.badInput(source.name() + ": the file " + source.location() + " lacks "
                            + (missing.size() == 1 ? "the expected column " : missing.size() + " expected columns: ")
                            + String.join(", ", described) + ".",
                    "Its columns: " + String.join(", ", actual) + ". If the producer changed the format, update"
                            + " expect.columns of '" + source.name() + "' (and the models that read it). The previous"
                            + " table " + source.target() + " is unchanged.");
        }
        if (!typesWithoutColumn.isEmpty()) {
            throw EntrepotException.badInput(source.name() + ": types names " + String.join(", ", typesWithoutColumn)
                            + ", which the file " + source.location() + " does not have.",
                    "Its columns: " + String.join(", ", actual) + ".");
        }
        return extra;
    }

    private static String normalise(String column) {
        return java.text.Normalizer.normalize(column, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static void checkRowCount(FileSource source, long rows, long rejected) {
        Expectations expect = source.expect();
        String rejectedNote = rejected > 0 ? " (" + rejected + " rows rejected, see " + source.rejectsTable() + " after"
                + " a successful load)" : "";
        if (rows < expect.minRows()) {
            throw EntrepotException.badInput(source.name() + ": " + source.location() + " has " + rows + " rows"
                            + rejectedNote + ", fewer than the " + expect.minRows() + " expected.",
                    rows == 0 && rejected == 0 ? "The file holds no data rows." : "Check the file, or expect.min_rows."
                            + " The previous table " + source.target() + " is unchanged.");
        }
        if (expect.maxRows() != null && rows > expect.maxRows()) {
            throw EntrepotException.badInput(source.name() + ": " + source.location() + " has " + rows + " rows, more"
                    + " than the " + expect.maxRows() + " expected.", "Check the file, or expect.max_rows. The previous"
                    + " table " + source.target() + " is unchanged.");
        }
    }

    // ------------------------------------------------------------------ files in other encodings

    /** The file as DuckDB can read it: re-encoded to UTF-8 when its encoding is not one DuckDB knows. */
    private Path prepare(FileSource source, Path file) {
        String encoding = source.read().encodingOrDefault();
        if (source.format() != FileSource.Format.CSV || encoding.equals("utf-8") || encoding.equals("latin-1")
                || encoding.equals("utf-16")) {
            return file;
        }
        try {
            Path converted = workDirectory.resolve("utf-8").resolve(source.name() + ".csv");
            if (Files.exists(converted) && Files.getLastModifiedTime(converted).compareTo(Files.getLastModifiedTime(file)) > 0
                    && Files.size(converted) >= Files.size(file) / 2) {
                return converted;
            }
            Files.createDirectories(converted.getParent());
            Path partial = converted.resolveSibling(converted.getFileName() + ".part");
            try (BufferedReader in = Files.newBufferedReader(file, Charset.forName(encoding));
                 BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                char[] buffer = new char[1 << 16];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            }
            Files.move(partial, converted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return converted;
        } catch (IOException e) {
            throw EntrepotException.failed(source.name() + ": cannot re-encode " + file + " from " + encoding + ": "
                    + e.getMessage(), "Check read.encoding.", e);
        }
    }

    // ------------------------------------------------------------------ bookkeeping

    private boolean unchanged(FileSource source, FileCache.Fetched fetched) {
        if (!warehouse.exists(HISTORY) || !warehouse.exists(source.target())) {
            return false;
        }
        try (Connection connection = warehouse.connect();
             PreparedStatement query = connection.prepareStatement("SELECT version, definition, target FROM "
                     + HISTORY.sql() + " WHERE source = ? ORDER BY loaded_at DESC LIMIT 1")) {
            query.setString(1, source.name());
            try (ResultSet last = query.executeQuery()) {
                return last.next() && fetched.info().version().equals(last.getString(1))
                        && source.definitionFingerprint().equals(last.getString(2))
                        && source.target().toString().equals(last.getString(3));
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private void record(Connection connection, FileSource source, FileCache.Fetched fetched, LoadReport report)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + HISTORY.sql() + " (loaded_at TIMESTAMPTZ, source VARCHAR,"
                    + " provider VARCHAR, location VARCHAR, version VARCHAR, definition VARCHAR, target VARCHAR,"
                    + " rows BIGINT, rejected BIGINT, bytes BIGINT, seconds " + (warehouse.isPostgres()
                    ? "DOUBLE PRECISION" : "DOUBLE") + ", extra_columns VARCHAR[])");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + HISTORY.sql()
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[])")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setString(2, source.name());
            insert.setString(3, source.provider());
            insert.setString(4, source.location().toString());
            insert.setString(5, fetched.info().version());
            insert.setString(6, source.definitionFingerprint());
            insert.setString(7, source.target().toString());
            insert.setLong(8, report.rows());
            insert.setLong(9, report.rejected());
            insert.setLong(10, fetched.info().size());
            insert.setDouble(11, report.loadSeconds());
            if (warehouse.isPostgres()) {
                insert.setArray(12, connection.createArrayOf("varchar", report.extraColumns().toArray()));
            } else {
                insert.setString(12, "[" + report.extraColumns().stream().map(c -> "\"" + c.replace("\"", "") + "\"")
                        .collect(Collectors.joining(",")) + "]");
            }
            insert.executeUpdate();
        }
    }

    private static LoadReport report(FileSource source, FileCache.Fetched fetched, LoadReport.Status status, long rows,
                                     long rejected, List<String> extra, long started) {
        return new LoadReport(source.name(), source.provider(), source.target().toString(), source.location().toString(),
                status, rows, rejected, extra, fetched.fromCache(), fetched.info().size(), fetched.seconds(),
                (System.nanoTime() - started) / 1e9);
    }

    private static long count(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table.sql())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void dropQuietly(TableName table) {
        try {
            warehouse.execute("DROP TABLE IF EXISTS " + table.sql());
        } catch (RuntimeException ignored) {
            // Leftover staging tables are dropped by the next load.
        }
    }

    private static EntrepotException failure(FileSource source, FileCache.Fetched fetched, SQLException e) {
        List<String> kept = new ArrayList<>();
        for (String line : String.valueOf(e.getMessage()).split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("*") && !trimmed.startsWith("Possible")
                    && !trimmed.startsWith("file =") && !trimmed.contains("(Auto-Detected)")
                    && !trimmed.contains("(Set By User)") && !trimmed.startsWith("sample_size")
                    && !trimmed.startsWith("ignore_errors") && !trimmed.startsWith("all_varchar")
                    && !trimmed.startsWith("null_padding")) {
                kept.add(trimmed);
            }
        }
        String message = String.join(" ", kept.subList(0, Math.min(4, kept.size())));
        return EntrepotException.badInput(source.name() + ": reading " + source.location() + " failed: " + message,
                (source.onError() == FileSource.OnError.FAIL ? "on_error is fail: a bad row stops the load. " : "")
                        + "Check the read options and types of '" + source.name() + "' in the catalog. The previous"
                        + " table " + source.target() + " is unchanged.");
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
