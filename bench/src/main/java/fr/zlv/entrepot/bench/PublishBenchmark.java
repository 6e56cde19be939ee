package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.publish.Backups;
import fr.zlv.entrepot.publish.BiFilePublisher;
import fr.zlv.entrepot.publish.DatabaseExport;
import fr.zlv.entrepot.publish.ObjectStoragePublisher;
import fr.zlv.entrepot.publish.ParquetExport;
import fr.zlv.entrepot.publish.PostgresPublisher;
import fr.zlv.entrepot.publish.PublicationGate;
import fr.zlv.entrepot.publish.PublicationReport;
import fr.zlv.entrepot.publish.PublishPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/publish: the plan of warehouse/publish.yml published from a built warehouse to the BI file, the PostgreSQL
 * serving schema and object storage (a directory), against the dataframe round trip the team's tool does today,
 * emulated in Java: each table's rows read into memory over JDBC, then inserted in batches into a new DuckDB file.
 * The PII gate is open here: the bench measures the copies, the privacy check is measured by the build.
 */
public final class PublishBenchmark {

    private PublishBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path warehouseFile = Path.of("bench", "target", "warehouse-build-1m", "entrepot.duckdb");
        String postgresUrl = null;
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warehouse" -> warehouseFile = Path.of(args[++i]);
                case "--postgres-url" -> postgresUrl = args[++i];
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.isRegularFile(warehouseFile)) {
            throw new IllegalStateException(warehouseFile + " is missing: run bench/warehouse-build.sh first");
        }
        PublishPlan plan = PublishPlan.load(Path.of("warehouse", "publish.yml"));
        Path work = Path.of("bench", "target", "publish").toAbsolutePath();
        Files.createDirectories(work);
        for (String previous : List.of("s3", "backups", "export", "parquet", "uploads", "dataframe-bi.duckdb")) {
            deleteRecursively(work.resolve(previous));
        }
        List<String> rows = new ArrayList<>();
        long totalRows;
        try (PostgresServer server = PostgresLocator.find(System.getenv("ENTREPOT_DEMO_POSTGRES_URL"), work.resolve("pg"));
             Warehouse warehouse = Warehouse.open(new WarehouseSettings(warehouseFile.toAbsolutePath().toString(), 4.0,
                     null, null))) {
            String url = postgresUrl != null ? postgresUrl : server.jdbcUrlWithCredentials("postgres");
            long started = System.nanoTime();
            PublicationReport bi = new BiFilePublisher().publish(warehouse, plan, PublicationGate.OPEN,
                    work.resolve("entrepot-bi.duckdb"));
            double biSeconds = (System.nanoTime() - started) / 1e9;
            totalRows = bi.rows();
            long biBytes = Files.size(work.resolve("entrepot-bi.duckdb"));
            rows.add(row("BI DuckDB file (ATTACH + CREATE TABLE AS, atomic swap)", biSeconds, biBytes, totalRows));

            started = System.nanoTime();
            PublicationReport pg = PostgresPublisher.publish(warehouse, plan, PublicationGate.OPEN, url,
                    "serving_bench", Map.of());
            double pgSeconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("PostgreSQL serving schema (COPY text streamed, indexes, comments, swap)", pgSeconds,
                    pg.bytes(), totalRows));

            started = System.nanoTime();
            Path parquetDirectory = work.resolve("parquet");
            ParquetExport.Result parquet = ParquetExport.export(warehouse, plan, PublicationGate.OPEN, parquetDirectory);
            long parquetBytes = parquet.files().stream().mapToLong(ParquetExport.ExportedFile::bytes).sum();
            double parquetSeconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("Parquet exports of the `parquet: true` marts (zstd)", parquetSeconds, parquetBytes, -1));

            // The S3 protocol on loopback (S3Proxy on a directory): the same client, multipart and checksums as a
            // real object store, without the network.
            Secret secret = Secret.of("bench-secret-key");
            try (LocalS3Server s3 = LocalS3Server.start(work.resolve("s3"), "bench-access-key", secret);
                 ObjectStores store = new ObjectStores(StorageSettings.defaults()
                         .withEndpoint(s3.endpoint().toString(), s3.accessKey(), secret))) {
                store.ensureBucket("published");
                started = System.nanoTime();
                new ObjectStoragePublisher(store, Location.parse("s3://published/bi"), 2)
                        .upload(work.resolve("entrepot-bi.duckdb"), parquet.paths(),
                                ObjectStoragePublisher.newVersion(Instant.now()));
                double s3Seconds = (System.nanoTime() - started) / 1e9;
                rows.add(row("S3 upload of the BI file and the Parquet files (multipart, MD5 + SHA-256 manifest;"
                        + " S3Proxy on loopback)", s3Seconds, biBytes + parquetBytes, -1));
            }

            started = System.nanoTime();
            Backups.Backup backup = new Backups(work.resolve("backups"), 7, 12).backup(warehouse, Instant.now());
            rows.add(row("backup of the whole warehouse (COPY FROM DATABASE)", (System.nanoTime() - started) / 1e9,
                    backup.bytes(), -1));

            started = System.nanoTime();
            PublicationReport export = new DatabaseExport().export(warehouse, work.resolve("export"));
            rows.add(row("export of the whole warehouse (EXPORT DATABASE, Parquet)",
                    (System.nanoTime() - started) / 1e9, export.bytes(), -1));

            started = System.nanoTime();
            long copied;
            try (Connection source = warehouse.connect()) {
                copied = dataframeRoundTrip(source, plan, work.resolve("dataframe-bi.duckdb"));
            }
            double dfSeconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("baseline: dataframe round trip (all rows into memory over JDBC, then DuckDB's appender)",
                    dfSeconds, Files.size(work.resolve("dataframe-bi.duckdb")), copied));
        }
        List<String> lines = new ArrayList<>();
        lines.add("## Publication (bench/publish.sh)");
        lines.add("");
        lines.add("The " + plan.tables().size() + " tables of `warehouse/publish.yml` (" + String.format(Locale.ROOT,
                "%,d", totalRows) + " rows) published from `" + warehouseFile + "` (built by `entrepot demo"
                + " --housings 1000000`, as bench/warehouse-build.sh does), each target in turn, then the baseline in"
                + " the same run: the dataframe round trip of the team's current tool emulated in Java (each table's"
                + " rows read into memory over JDBC, then written into a new DuckDB file through DuckDB's appender,"
                + " the fastest way rows enter DuckDB from Java). MB/s counts the bytes written (the BI file, the"
                + " PostgreSQL tables' text, the Parquet files, the backup, the export); the PII gate is open here (the"
                + " privacy check is timed with the build).");
        lines.add("");
        lines.add("| target | seconds | MB written | MB/s | rows/s |");
        lines.add("|---|---|---|---|---|");
        lines.addAll(rows);
        lines.add("");
        lines.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", DuckDB memory limit 4 GB.");
        String markdown = String.join("\n", lines);
        System.out.println(markdown);
        BenchmarkReport.replaceSection(reportFile, "publish", markdown);
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static String row(String target, double seconds, long bytes, long rows) {
        String row = String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %s |", target, seconds, bytes / 1e6,
                bytes / 1e6 / seconds, rows < 0 ? "" : String.format(Locale.ROOT, "%,.0f", rows / seconds));
        // Printed at once: the baseline can take long, the targets' figures are not lost if it is stopped.
        System.out.println(row);
        return row;
    }

    /**
     * What a dataframe does: every row of each table held in memory, then written into a new DuckDB file. The write
     * goes through DuckDB's appender, the fastest way rows enter DuckDB from Java (a dataframe is scanned by DuckDB
     * in place), so the baseline is the round trip's best case, not a slow INSERT loop.
     */
    private static long dataframeRoundTrip(Connection source, PublishPlan plan, Path target) throws Exception {
        Files.deleteIfExists(target);
        long total = 0;
        try (Connection sink = DriverManager.getConnection("jdbc:duckdb:" + target.toAbsolutePath())) {
            for (PublishPlan.PublishedTable table : plan.tables()) {
                List<Object[]> frame = new ArrayList<>();
                List<String> definitions = new ArrayList<>();
                try (Statement statement = source.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT * FROM " + plan.sourceSchema() + "." + table.mart())) {
                    ResultSetMetaData meta = rows.getMetaData();
                    int width = meta.getColumnCount();
                    for (int c = 1; c <= width; c++) {
                        definitions.add('"' + meta.getColumnName(c) + "\" " + meta.getColumnTypeName(c));
                    }
                    while (rows.next()) {
                        Object[] values = new Object[width];
                        for (int c = 0; c < width; c++) {
                            values[c] = rows.getObject(c + 1);
                        }
                        frame.add(values);
                    }
                }
                try (Statement statement = sink.createStatement()) {
                    statement.execute("CREATE TABLE " + table.name() + " (" + String.join(", ", definitions) + ")");
                }
                try (DuckDBAppender appender = sink.unwrap(DuckDBConnection.class).createAppender("main",
                        table.name())) {
                    for (Object[] values : frame) {
                        appender.beginRow();
                        for (Object value : values) {
                            append(appender, value);
                        }
                        appender.endRow();
                    }
                }
                total += frame.size();
            }
        }
        return total;
    }

    /** One value as the JDBC driver read it, appended with the appender's method for its type. */
    private static void append(DuckDBAppender appender, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof String text) {
            appender.append(text);
        } else if (value instanceof Boolean b) {
            appender.append(b.booleanValue());
        } else if (value instanceof Byte b) {
            appender.append(b.byteValue());
        } else if (value instanceof Short n) {
            appender.append(n.shortValue());
        } else if (value instanceof Integer n) {
            appender.append(n.intValue());
        } else if (value instanceof Long n) {
            appender.append(n.longValue());
        } else if (value instanceof Float n) {
            appender.append(n.floatValue());
        } else if (value instanceof Double n) {
            appender.append(n.doubleValue());
        } else if (value instanceof BigDecimal n) {
            appender.append(n);
        } else if (value instanceof BigInteger n) {
            appender.append(n);
        } else if (value instanceof java.sql.Date date) {
            appender.append(date.toLocalDate());
        } else if (value instanceof LocalDate date) {
            appender.append(date);
        } else if (value instanceof Timestamp time) {
            appender.append(time.toLocalDateTime());
        } else if (value instanceof LocalDateTime time) {
            appender.append(time);
        } else if (value instanceof OffsetDateTime time) {
            appender.append(time);
        } else if (value instanceof UUID uuid) {
            appender.append(uuid);
        } else if (value instanceof Array array) {
            appender.append(Arrays.asList((Object[]) array.getArray()));
        } else if (value instanceof Map<?, ?> map) {
            appender.append(map);
        } else if (value instanceof byte[] bytes) {
            appender.appendByteArray(bytes);
        } else if (value instanceof java.sql.Blob blob) {
            appender.appendByteArray(blob.getBytes(1, (int) blob.length()));
        } else {
            throw new IllegalStateException("the baseline has no appender call for " + value.getClass().getName());
        }
    }
}
