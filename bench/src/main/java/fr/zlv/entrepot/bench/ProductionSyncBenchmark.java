package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.core.settings.SettingsLoader;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import fr.zlv.entrepot.ingest.production.ColumnMapping;
import fr.zlv.entrepot.ingest.production.ProductionConnections;
import fr.zlv.entrepot.ingest.production.ProductionSync;
import fr.zlv.entrepot.ingest.production.SourceTable;
import fr.zlv.entrepot.ingest.production.SyncReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bench/production-sync: the daily production sync at a given scale, side by side in one run with
 * <ul>
 *   <li>the <b>floor</b>: for each table, {@code psql \copy (SELECT ...) TO file CSV}, then DuckDB's
 *       {@code read_csv} of that file (the same columns and conversions as the sync), one after the other;</li>
 *   <li>the <b>ceiling</b>: PostgreSQL's own {@code COPY ... TO STDOUT (FORMAT binary)} of each table, thrown away.</li>
 * </ul>
 * Arguments: {@code --housings N} (default 1,000,000), {@code --rounds R} (default 2; the best round counts),
 * {@code --report FILE} (default BENCHMARKS.md). The JVM is meant to run with {@code -Xmx512m}: the sync's
 * peak heap is reported.
 */
public final class ProductionSyncBenchmark {

    private record Measure(String name, long rows, long bytes, double seconds, String notes) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private ProductionSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long housings = 1_000_000;
        int rounds = 2;
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--housings" -> housings = Long.parseLong(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String database = "zlv_bench_" + (housings >= 1_000_000 ? housings / 1_000_000 + "m" : housings / 1_000 + "k");
        Path work = Files.createTempDirectory("entrepot-bench-");
        try (PostgresServer server = PostgresLocator.find(System.getenv("ENTREPOT_DEMO_POSTGRES_URL"), work.resolve("pg"))) {
            ensureDatabase(server, database, housings);
            Settings shipped = new SettingsLoader(Map.of()).load(Path.of("warehouse", "entrepot.yml")).settings();
            ProductionSettings production = shipped.production().withConnection(server.host(), server.port(), database,
                    ProductionDatabase.READONLY_ROLE, ProductionDatabase.READONLY_PASSWORD);
            List<SourceTable> plan;
            try (Warehouse scratch = Warehouse.inMemory()) {
                plan = new ProductionSync(production, scratch).plan(List.of());
            }
            System.out.println("warming PostgreSQL's cache (one unmeasured ceiling pass)");
            ceiling(production, plan);

            Measure best = null;
            Measure bestFloor = null;
            Measure bestCeiling = null;
            long peakHeap = 0;
            for (int round = 1; round <= rounds; round++) {
                Measure ceiling = ceiling(production, plan);
                Measure floor = floor(production, plan, work);
                resetPeaks();
                Measure sync = sync(production, work.resolve("sync-" + round + ".duckdb"));
                long heap = peakHeapBytes();
                System.out.printf(Locale.ROOT, "round %d: entrepot %.2f s, floor %.2f s, ceiling %.2f s, peak heap %d MB%n",
                        round, sync.seconds(), floor.seconds(), ceiling.seconds(), heap >> 20);
                best = best == null || sync.seconds() < best.seconds() ? sync : best;
                bestFloor = bestFloor == null || floor.seconds() < bestFloor.seconds() ? floor : bestFloor;
                bestCeiling = bestCeiling == null || ceiling.seconds() < bestCeiling.seconds() ? ceiling : bestCeiling;
                peakHeap = Math.max(peakHeap, heap);
            }
            String markdown = markdown(housings, server, plan, best, bestFloor, bestCeiling, peakHeap, rounds);
            System.out.println(markdown);
            BenchmarkReport.replaceSection(reportFile, "production-sync", markdown);
            System.out.println("written to " + reportFile.toAbsolutePath());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void ensureDatabase(PostgresServer server, String database, long housings) throws Exception {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM fast_housing")) {
            rows.next();
            if (rows.getLong(1) == housings) {
                System.out.println("using the existing database " + database);
                return;
            }
        } catch (java.sql.SQLException missing) {
            // Created below.
        }
        System.out.println("generating " + database + " (" + housings + " housings)");
        ProductionDatabase.Result result = ProductionDatabase.create(server, database,
                ProductionDatabase.Options.of(housings, 42), ProductionDatabase.Progress.NONE);
        System.out.printf(Locale.ROOT, "generated %,d rows in %.1f s%n", result.totalRows(), result.millis() / 1000.0);
    }

    private static Measure sync(ProductionSettings production, Path file) {
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(file.toString(), null, null, null))) {
            SyncReport report = new ProductionSync(production, warehouse).run(List.of(), ProductionSync.Listener.NONE);
            return new Measure("Entrepôt sync (COPY csv → named pipe → DuckDB read_csv, in parallel)", report.totalRows(),
                    report.totalBytes(), report.seconds(), "no temporary file");
        }
    }

    /** psql \copy of each table to a CSV file, then DuckDB read_csv of the file: one table after the other. */
    private static Measure floor(ProductionSettings production, List<SourceTable> plan, Path work) throws Exception {
        long rows = 0;
        long bytes = 0;
        long started = System.nanoTime();
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(work.resolve("floor.duckdb").toString(), null, null,
                null))) {
            for (SourceTable table : plan) {
                Path csv = work.resolve(table.name() + ".csv");
                String select = "SELECT " + table.mappings().stream().map(ColumnMapping::sourceSelect)
                        .collect(Collectors.joining(", ")) + " FROM " + table.qualifiedName();
                psql(production, "\\copy (" + select + ") TO '" + csv + "' (FORMAT csv)", false);
                bytes += Files.size(csv);
                TableName target = new TableName("production", table.name());
                warehouse.execute("CREATE OR REPLACE TABLE " + target.sql() + " (" + table.mappings().stream()
                        .map(ColumnMapping::duckDefinition).collect(Collectors.joining(", ")) + ")");
                warehouse.execute(ProductionSync.insertSql(table, target.sql(), csv.toString()));
                rows += warehouse.rowCount(target);
                Files.delete(csv);
            }
        }
        Files.deleteIfExists(work.resolve("floor.duckdb"));
        return new Measure("Floor: psql \\copy csv to a file, then DuckDB read_csv of it", rows, bytes,
                (System.nanoTime() - started) / 1e9, "temporary CSV files");
    }

    /** PostgreSQL's binary COPY of each table, bytes counted and thrown away. */
    private static Measure ceiling(ProductionSettings production, List<SourceTable> plan) throws Exception {
        long bytes = 0;
        long started = System.nanoTime();
        for (SourceTable table : plan) {
            bytes += Long.parseLong(psql(production, "COPY (SELECT * FROM " + table.qualifiedName()
                    + ") TO STDOUT (FORMAT binary)", true).strip());
        }
        long rows = plan.stream().mapToLong(SourceTable::estimatedRows).sum();
        return new Measure("Ceiling: PostgreSQL COPY ... TO STDOUT (FORMAT binary) to /dev/null", rows, bytes,
                (System.nanoTime() - started) / 1e9, "nothing stored");
    }

    /** Runs psql with the sync's session settings; when {@code count}, returns the bytes it printed. */
    private static String psql(ProductionSettings production, String command, boolean count) throws Exception {
        String psql = "psql -X -q -v ON_ERROR_STOP=1 -h " + production.host() + " -p " + production.port() + " -U "
                + production.user() + " -d " + production.database() + " -c \"" + command.replace("\"", "\\\"") + "\"";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", count ? psql + " | wc -c" : psql);
        builder.environment().put("PGPASSWORD", production.password().reveal());
        builder.environment().put("PGOPTIONS", ProductionConnections.SESSION_OPTIONS);
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("psql failed: " + output);
        }
        return output;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static String markdown(long housings, PostgresServer server, List<SourceTable> plan, Measure sync,
                                   Measure floor, Measure ceiling, long peakHeap, int rounds) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("## Production sync (`bench/production-sync.sh`)\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s on %d cores, %d GB RAM, %s, DuckDB %s, Java %s. ", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() >> 30, server.description(), duckdbVersion(), System.getProperty("java.version")));
        md.append(String.format(Locale.ROOT, "The demo's production database at %,d housings: %d tables, %,d rows. ",
                housings, plan.size(), sync.rows()));
        md.append("Best of ").append(rounds).append(" rounds; the three ways run in the same round, on a warm PostgreSQL cache.\n\n");
        md.append("| way | rows | MB | seconds | rows/s | MB/s | vs floor | notes |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Measure measure : List.of(sync, floor, ceiling)) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.2f | %,.0f | %.1f | %.2f× | %s |%n",
                    measure.name(), measure.rows(), measure.bytes() / 1e6, measure.seconds(), measure.rowsPerSecond(),
                    measure.megabytesPerSecond(), floor.seconds() / measure.seconds(), measure.notes()));
        }
        md.append(String.format(Locale.ROOT, "%nPeak Java heap during the sync: %d MB (the JVM ran with -Xmx512m).%n",
                peakHeap >> 20));
        md.append("MB: CSV bytes for the sync and the floor, binary COPY bytes for the ceiling. The ceiling's rows are"
                + " PostgreSQL's estimate (reltuples).\n");
        return md.toString();
    }

    private static String duckdbVersion() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            return warehouse.engineVersion();
        }
    }
}
