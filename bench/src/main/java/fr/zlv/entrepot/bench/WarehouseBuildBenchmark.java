package fr.zlv.entrepot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * bench/warehouse-build: {@code entrepot demo} builds the warehouse from nothing at each scale (its own process, with
 * DUCKDB_MEMORY_LIMIT; its peak resident memory read from /proc), then this process rebuilds the dbt project layer
 * by layer with Entrepôt's engine, against the same compiled statements (read back from target/run) sent straight to
 * DuckDB over JDBC: the difference is the engine's.
 */
public final class WarehouseBuildBenchmark {

    private static final List<String> LAYERS = List.of("staging", "intermediate", "marts");

    private WarehouseBuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> scales = List.of(100_000L, 1_000_000L);
        String memoryLimit = "4";
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--housings" -> scales = Stream.of(args[++i].replace("_", "").split(",")).map(Long::parseLong).toList();
                case "--memory-limit" -> memoryLimit = args[++i];
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("## Warehouse build (bench/warehouse-build.sh)");
        lines.add("");
        lines.add("`entrepot demo --housings N` from nothing (synthetic production database, sync, 7 LOVAC years and the"
                + " other yearly files on the local S3 server, the whole dbt project, the daily job through the"
                + " orchestrator), in its own JVM with `DUCKDB_MEMORY_LIMIT=" + memoryLimit + "`; then the dbt project"
                + " rebuilt layer by layer in this JVM by Entrepôt's engine (`dbt run -s tag:<layer>`), against the same"
                + " compiled statements sent straight to DuckDB (the baseline). Peak memory is the process's resident"
                + " high-water mark (JVM heap and DuckDB's native memory).");
        lines.add("");
        lines.add("| housings | demo, from nothing | demo peak memory | layer | models | engine | raw SQL | engine overhead"
                + " | tests |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        for (long housings : scales) {
            lines.addAll(scale(housings, memoryLimit));
        }
        lines.add("");
        lines.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; this JVM's peak memory over all the rebuilds: "
                + megabytes(peakResident("self")) + ".");
        String markdown = String.join("\n", lines);
        System.out.println(markdown);
        BenchmarkReport.replaceSection(reportFile, "warehouse-build", markdown);
    }

    private static List<String> scale(long housings, String memoryLimit) throws Exception {
        String label = housings >= 1_000_000 ? housings / 1_000_000 + "m" : housings / 1_000 + "k";
        Path workspace = Path.of("bench", "target", "warehouse-build-" + label).toAbsolutePath();
        deleteRecursively(workspace);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("DUCKDB_MEMORY_LIMIT", memoryLimit);
        environment.putIfAbsent("ENTREPOT_PII_KEY", "bench-key-not-a-secret");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx2g", "-jar", "entrepot-cli/target/entrepot.jar", "demo",
                "--housings", Long.toString(housings), "--workspace", workspace.toString(), "--database",
                "zlv_bench_wh_" + label, "--json").redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process demo = builder.start();
        AtomicLong peak = new AtomicLong();
        Thread watcher = new Thread(() -> {
            while (demo.isAlive()) {
                peak.accumulateAndGet(peakResident(Long.toString(demo.pid())), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        byte[] output = demo.getInputStream().readAllBytes();
        int exit = demo.waitFor();
        watcher.interrupt();
        double demoSeconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("entrepot demo --housings " + housings + " failed (exit " + exit + ")");
        }
        JsonNode summary = new ObjectMapper().readTree(output);
        String warehouse = summary.get("warehouse").asText();

        environment.put("ENTREPOT_WAREHOUSE", warehouse);
        Path project = Path.of("warehouse", "dbt").toAbsolutePath();
        DbtEngine.Options options = DbtEngine.Options.of(project).withEnvironment(environment).withConsole(line -> { });
        List<String> rows = new ArrayList<>();
        boolean first = true;
        try (DbtEngine dbt = DbtEngine.load(options)) {
            // Untimed: the first command opens the warehouse and warms the JVM up (the views are cheap to redo).
            dbt.run(Selection.of("tag:staging"));
            for (String layer : LAYERS) {
                long layerStarted = System.nanoTime();
                if (!dbt.run(Selection.of("tag:" + layer)).succeeded()) {
                    throw new IllegalStateException("the " + layer + " layer did not build at " + housings);
                }
                double engine = (System.nanoTime() - layerStarted) / 1e9;
                List<Node> models = dbt.selected(Selection.of("tag:" + layer), Set.of(ResourceType.MODEL));
                double raw = raw(Path.of(warehouse), project, models, memoryLimit);
                double tests = 0;
                if (layer.equals("marts")) {
                    long testsStarted = System.nanoTime();
                    dbt.test(Selection.ALL);
                    tests = (System.nanoTime() - testsStarted) / 1e9;
                }
                rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.2f s | %.2f s | %+.2f s | %s |",
                        first ? String.format(Locale.ROOT, "%,d", housings) : "", first ? String.format(Locale.ROOT,
                                "%.1f s", demoSeconds) : "", first ? megabytes(peak.get()) : "", layer, models.size(),
                        engine, raw, engine - raw, layer.equals("marts") ? String.format(Locale.ROOT, "%.2f s", tests) : ""));
                first = false;
            }
        }
        return rows;
    }

    /** The layer's statements as the engine ran them (target/run), replayed in the same order over one connection. */
    private static double raw(Path warehouse, Path project, List<Node> models, String memoryLimit) throws Exception {
        List<String> statements = new ArrayList<>();
        for (Node node : models) {
            if (node.isEphemeral()) {
                continue;
            }
            Path file = project.resolve("target/run").resolve(node.packageName())
                    .resolve(fr.zlv.entrepot.dbt.run.Compiler.buildPath(node));
            for (String statement : Files.readString(file, StandardCharsets.UTF_8).split(";\n\n")) {
                if (!statement.isBlank()) {
                    statements.add(statement.strip());
                }
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
             Statement statement = connection.createStatement()) {
            statement.execute("SET memory_limit = '" + memoryLimit + "GB'");
            long started = System.nanoTime();
            for (String sql : statements) {
                statement.execute(sql);
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** VmHWM of a process ("self" for this one), in bytes; 0 when /proc does not say. */
    static long peakResident(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static String megabytes(long bytes) {
        return bytes == 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
