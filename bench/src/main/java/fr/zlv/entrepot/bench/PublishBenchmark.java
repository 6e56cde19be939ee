package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.publish.BiFilePublisher;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
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
            PostgresPublisher.publish(warehouse, plan, PublicationGate.OPEN, url, "serving_bench", Map.of());
            double pgSeconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("PostgreSQL serving schema (COPY streamed, indexes, comments, swap)", pgSeconds, biBytes,
                    totalRows));

            started = System.nanoTime();
            Path parquetDirectory = work.resolve("parquet");
            ParquetExport.Result parquet = ParquetExport.export(warehouse, plan, PublicationGate.OPEN, parquetDirectory);
            long parquetBytes = parquet.files().stream().mapToLong(ParquetExport.ExportedFile::bytes).sum();
            try (ObjectStores store = new ObjectStores(StorageSettings.defaults())) {
                new ObjectStoragePublisher(store, Location.parse(work.resolve("uploads").toString()), 2)
                        .upload(work.resolve("entrepot-bi.duckdb"), parquet.paths(),
                                ObjectStoragePublisher.newVersion(Instant.now()));
            }
            double s3Seconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("object storage: Parquet exports + BI file uploaded (a directory here)", s3Seconds,
                    biBytes + parquetBytes, -1));

            started = System.nanoTime();
            long copied;
            try (Connection source = warehouse.connect()) {
                copied = dataframeRoundTrip(source, plan, work.resolve("dataframe-bi.duckdb"));
            }
            double dfSeconds = (System.nanoTime() - started) / 1e9;
            rows.add(row("baseline: dataframe round trip (all rows into memory over JDBC, batched inserts)",
                    dfSeconds, Files.size(work.resolve("dataframe-bi.duckdb")), copied));
        }
        List<String> lines = new ArrayList<>();
        lines.add("## Publication (bench/publish.sh)");
        lines.add("");
        lines.add("The " + plan.tables().size() + " tables of `warehouse/publish.yml` (" + String.format(Locale.ROOT,
                "%,d", totalRows) + " rows) published from `" + warehouseFile + "` (built by bench/warehouse-build.sh),"
                + " each target in turn, and the dataframe round trip of the team's current tool emulated in Java in"
                + " the same run. MB/s counts the bytes of what was written (the BI file, the Parquet files).");
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

    private static String row(String target, double seconds, long bytes, long rows) {
        String row = String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %s |", target, seconds, bytes / 1e6,
                bytes / 1e6 / seconds, rows < 0 ? "" : String.format(Locale.ROOT, "%,.0f", rows / seconds));
        // Printed at once: the baseline can take long, the targets' figures are not lost if it is stopped.
        System.out.println(row);
        return row;
    }

    /** What a dataframe does: every row of each table held in memory, then inserted into a new DuckDB file. */
    private static long dataframeRoundTrip(Connection source, PublishPlan plan, Path target) throws Exception {
        Files.deleteIfExists(target);
        long total = 0;
        try (Connection sink = DriverManager.getConnection("jdbc:duckdb:" + target.toAbsolutePath())) {
            for (PublishPlan.PublishedTable table : plan.tables()) {
                List<Object[]> frame = new ArrayList<>();
                List<String> columns = new ArrayList<>();
                List<String> types = new ArrayList<>();
                try (Statement statement = source.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT * FROM " + plan.sourceSchema() + "." + table.mart())) {
                    ResultSetMetaData meta = rows.getMetaData();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        columns.add('"' + meta.getColumnName(c) + '"');
                        types.add(meta.getColumnTypeName(c));
                    }
                    while (rows.next()) {
                        Object[] values = new Object[columns.size()];
                        for (int c = 0; c < values.length; c++) {
                            values[c] = rows.getObject(c + 1);
                        }
                        frame.add(values);
                    }
                }
                try (Statement statement = sink.createStatement()) {
                    List<String> definitions = new ArrayList<>();
                    for (int c = 0; c < columns.size(); c++) {
                        definitions.add(columns.get(c) + " " + types.get(c));
                    }
                    statement.execute("CREATE TABLE " + table.name() + " (" + String.join(", ", definitions) + ")");
                }
                sink.setAutoCommit(false);
                try (PreparedStatement insert = sink.prepareStatement("INSERT INTO " + table.name() + " VALUES ("
                        + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")")) {
                    int batch = 0;
                    for (Object[] values : frame) {
                        for (int c = 0; c < values.length; c++) {
                            insert.setObject(c + 1, values[c]);
                        }
                        insert.addBatch();
                        if (++batch % 10_000 == 0) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                }
                sink.commit();
                sink.setAutoCommit(true);
                total += frame.size();
            }
        }
        return total;
    }
}
