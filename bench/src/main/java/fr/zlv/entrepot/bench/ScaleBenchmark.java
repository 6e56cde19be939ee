package fr.zlv.entrepot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/scale: the daily job ({@code datawarehouse_synchronize_and_build}: production sync, the dbt build of every model
 * that reads production, the publications) at a given number of housings, with the warehouse in DuckDB and in
 * PostgreSQL, run by one worker process and by three sharing a PostgreSQL run store.
 *
 * <p>For each scale and engine: {@code entrepot demo --housings N --warehouse ENGINE} builds everything from nothing in
 * its own process (the synthetic production database, the sync, the yearly files, the dbt project, a first daily job
 * run in that process: the in-process figure); then, for each worker count, the daily job is queued
 * ({@code entrepot run --queue}) and that many {@code entrepot worker --until-done} processes, each with 2 threads,
 * run it; the time is from the queueing to the last worker's exit. The steps' own times come from the run store.
 * Between the demo and the worker runs, the workspace's copies of the yearly files and the demo's re-imported
 * warehouse are deleted, and before each worker run the previous run's BI file and serving schema: the daily job
 * reads none of them, and at 5M on PostgreSQL the disk could not hold them beside the warehouse.
 */
public final class ScaleBenchmark {

    private static final String JOB = "datawarehouse_synchronize_and_build";
    private static final String PII_KEY = "bench-scale-key-not-a-secret";
    /** The serving schema of the warehouse project ({@code publish.postgres_schema} in warehouse/entrepot.yml). */
    private static final String SERVING_SCHEMA = "serving";

    private ScaleBenchmark() {
    }

    record Measure(long housings, String engine, String how, double seconds, Map<String, Double> steps,
                   String status) {
    }

    public static void main(String[] args) throws Exception {
        List<Long> scales = List.of(1_000_000L, 5_000_000L);
        List<String> engines = List.of("duckdb", "postgres");
        List<Integer> workerCounts = List.of(1, 3);
        String memoryLimit = "4";
        String postgres = "jdbc:postgresql://127.0.0.1:5432/";
        Path reportFile = Path.of("BENCHMARKS.md");
        boolean inProcess = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--housings" -> scales = parseLongs(args[++i]);
                case "--engines" -> engines = List.of(args[++i].split(","));
                case "--workers" -> workerCounts = parseLongs(args[++i]).stream().map(Long::intValue).toList();
                case "--memory-limit" -> memoryLimit = args[++i];
                case "--postgres" -> postgres = args[++i].endsWith("/") ? args[i] : args[i] + "/";
                case "--report" -> reportFile = Path.of(args[++i]);
                // Only the worker rows: the demo builds the warehouse and leaves the job to the workers (at 5M on
                // DuckDB its own run of the job and the export take 50 minutes).
                case "--skip-in-process" -> inProcess = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Measure> measures = new ArrayList<>();
        Map<String, Double> demoSeconds = new LinkedHashMap<>();
        for (long housings : scales) {
            for (String engine : engines) {
                String label = engine + "-" + (housings >= 1_000_000 ? housings / 1_000_000 + "m" : housings / 1_000 + "k");
                Path workspace = Path.of("bench", "target", "scale", label).toAbsolutePath();
                WarehouseBuildBenchmark.deleteRecursively(workspace);
                Files.createDirectories(workspace);
                String database = "zlv_scale";
                Map<String, String> environment = environment(workspace, engine, database, postgres, memoryLimit);

                System.err.printf(Locale.ROOT, "%s: entrepot demo --housings %d --warehouse %s%n", label, housings, engine);
                long started = System.nanoTime();
                List<String> demoArguments = new ArrayList<>(List.of("demo", "--housings", Long.toString(housings),
                        "--warehouse", engine, "--workspace", workspace.toString(), "--database", database, "--json"));
                if (!inProcess) {
                    demoArguments.add("--skip-daily-job");
                }
                JsonNode demo = new ObjectMapper().readTree(run(environment, workspace.resolve("demo.log"),
                        demoArguments.toArray(String[]::new)));
                demoSeconds.put(inProcess ? label : label + " (--skip-daily-job)", (System.nanoTime() - started) / 1e9);
                if (inProcess) {
                    JsonNode orchestrated = demo.get("orchestrator");
                    measures.add(new Measure(housings, engine, "in the demo's process (4 threads)",
                            orchestrated.get("seconds").asDouble(), Map.of(), orchestrated.get("status").asText()));
                }

                // At 5M the copies of the yearly files take 15 GB, and the demo's re-imported DuckDB warehouse 9 GB: the
                // daily job reads neither (it syncs production and builds from what the demo loaded). Freed so that a
                // 5M block fits a 100 GB disk.
                for (String copy : List.of("files", "s3", "imported")) {
                    WarehouseBuildBenchmark.deleteRecursively(workspace.resolve(copy));
                }
                WarehouseBuildBenchmark.deleteRecursively(Path.of(environment.get("ENTREPOT_CACHE_DIRECTORY")));
                for (int workers : workerCounts) {
                    forgetPublications(environment);
                    measures.add(daily(housings, engine, workers, environment, workspace, postgres));
                    System.err.println("  " + measures.get(measures.size() - 1));
                }
                // Written after each block: hours of work at 5M are not lost to a later failure.
                report(reportFile, measures, demoSeconds, memoryLimit, postgres);
            }
        }
    }

    private static void report(Path reportFile, List<Measure> measures, Map<String, Double> demoSeconds,
                               String memoryLimit, String postgres) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("## Scale: the daily job on DuckDB and on PostgreSQL, one worker and three (bench/scale.sh)");
        lines.add("");
        lines.add("The daily job `" + JOB + "` (production sync, the dbt build of every model reading production, the"
                + " publications: BI file, PostgreSQL serving schema, and for DuckDB the backup) on the warehouse"
                + " `entrepot demo --housings N --warehouse ENGINE` built from nothing. First row of each block: the"
                + " demo's own run of the job, in its process; then the job queued (`entrepot run --queue`) and run by"
                + " 1 or 3 `entrepot worker --until-done` processes of 2 threads each, sharing a PostgreSQL run store,"
                + " timed from the queueing to the last worker's exit, each publishing into nothing (the previous run's BI"
                + " file and serving schema removed before it). DuckDB memory limit " + memoryLimit + " GB per"
                + " process; workers on one DuckDB file take turns on it (one writer per file).");
        lines.add("");
        lines.add("| housings | warehouse | run by | daily job | production sync | dbt build | publication | status |");
        lines.add("|---|---|---|---|---|---|---|---|");
        lines.addAll(earlierRows(reportFile, measures));
        for (Measure m : measures) {
            lines.add(String.format(Locale.ROOT, "| %,d | %s | %s | %.1f s | %s | %s | %s | %s |", m.housings(),
                    m.engine().equals("duckdb") ? "DuckDB file" : "PostgreSQL", m.how(), m.seconds(),
                    seconds(m.steps().get("production_sync")), seconds(m.steps().get("dbt_build")),
                    seconds(m.steps().get("publish")), m.status()));
        }
        lines.add("");
        StringBuilder prepared = new StringBuilder("Building each warehouse from nothing (`entrepot demo`): ");
        demoSeconds.forEach((label, value) -> prepared.append(String.format(Locale.ROOT, "%s %.0f s; ", label, value)));
        lines.add(prepared.toString().replaceAll("; $", "."));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Measured %s on %d cores, Java %s, %s. Step times are each step's own"
                        + " (publication: from the first publication step's start to the last one's end).",
                java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                postgresVersion(postgres)));
        BenchmarkReport.replaceSection(reportFile, "scale", String.join("\n", lines));
        System.out.println(String.join("\n", lines));
    }

    /**
     * The rows of the section already in the report that this run did not measure again: a run at 5M keeps the 1M
     * figures of an earlier run, a 3-worker run keeps the 1-worker row (hours of measuring are not thrown away).
     */
    static List<String> earlierRows(Path reportFile, List<Measure> measures) throws IOException {
        if (!Files.exists(reportFile)) {
            return List.of();
        }
        String text = Files.readString(reportFile);
        int from = text.indexOf("<!-- scale:start -->");
        int to = text.indexOf("<!-- scale:end -->");
        if (from < 0 || to < from) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (String line : text.substring(from, to).split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].strip().matches("[0-9,]+")) {
                continue;
            }
            long housings = Long.parseLong(cells[1].strip().replace(",", ""));
            String engine = cells[2].strip().startsWith("DuckDB") ? "duckdb" : "postgres";
            String runBy = cells[3].strip();
            boolean placeholder = cells.length > 4 && cells[4].strip().equals("not measured yet");
            // A row goes when this run measured the same scale, engine and way of running it (a run with
            // --workers 3 keeps the 1-worker row), or when it was a placeholder for that scale and engine.
            boolean measuredNow = measures.stream().anyMatch(m -> m.housings() == housings && m.engine().equals(engine)
                    && (placeholder || runBy.startsWith(m.how())));
            if (!measuredNow) {
                kept.add(line);
            }
        }
        return kept;
    }

    /** The settings of the demo's warehouse and production database, as environment variables. */
    static Map<String, String> environment(Path workspace, String engine, String database, String postgres,
                                                   String memoryLimit) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("DUCKDB_MEMORY_LIMIT", memoryLimit);
        environment.put("ENTREPOT_PII_KEY", PII_KEY);
        environment.put("ENTREPOT_WAREHOUSE", engine.equals("postgres")
                ? postgres + database + "_warehouse?user=postgres" : workspace.resolve("entrepot.duckdb").toString());
        String host = postgres.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        environment.put("POSTGRES_PRODUCTION_DB", host.contains(":") ? host.substring(0, host.indexOf(':')) : host);
        environment.put("POSTGRES_PRODUCTION_PORT", host.contains(":") ? host.substring(host.indexOf(':') + 1) : "5432");
        environment.put("POSTGRES_PRODUCTION_DB_NAME", database);
        environment.put("POSTGRES_PRODUCTION_READONLY_USER", "zlv_readonly");
        environment.put("POSTGRES_PRODUCTION_READONLY_PASSWORD", "zlv_readonly");
        environment.put("POSTGRES_PRODUCTION_SSL_MODE", "disable");
        environment.put("ENTREPOT_BI_PATH", workspace.resolve("bi/entrepot-bi.duckdb").toString());
        environment.put("ENTREPOT_SERVING_URL", postgres + database + "?user=postgres");
        environment.put("ENTREPOT_SERVING_READER", "zlv_readonly");
        environment.put("ENTREPOT_PUBLISH_LOCATION", "");
        environment.put("ENTREPOT_BACKUP_DIRECTORY", workspace.resolve("backups").toString());
        environment.put("ENTREPOT_EXPORT_LOCATION", workspace.resolve("export").toString());
        environment.put("ENTREPOT_CACHE_DIRECTORY", workspace.resolve("cache").toString());
        environment.put("ENTREPOT_DEMO_POSTGRES_URL", postgres + "postgres?user=postgres");
        return environment;
    }

    /**
     * Removes the BI file and the serving schema of the previous run, so that every worker run publishes into nothing,
     * whatever ran before it, and the disk never holds a live serving schema beside the one being built (16 GB each at
     * 5M). Backups are kept: the backup step keeps a bounded number of them itself.
     */
    private static void forgetPublications(Map<String, String> environment) throws Exception {
        WarehouseBuildBenchmark.deleteRecursively(Path.of(environment.get("ENTREPOT_BI_PATH")).getParent());
        try (Connection serving = DriverManager.getConnection(environment.get("ENTREPOT_SERVING_URL"));
             Statement statement = serving.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SERVING_SCHEMA + " CASCADE");
        }
    }

    /** The daily job queued and run by {@code workers} worker processes; its time and its steps' times. */
    private static Measure daily(long housings, String engine, int workers, Map<String, String> base, Path workspace,
                                 String postgres) throws Exception {
        String store = "entrepot_scale_runs";
        try (Connection admin = DriverManager.getConnection(postgres + "postgres?user=postgres");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + store + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + store);
        }
        Map<String, String> environment = new HashMap<>(base);
        String storeUrl = postgres + store + "?user=postgres";
        environment.put("ENTREPOT_STORE_URL", storeUrl);
        long started = System.nanoTime();
        JsonNode queued = new ObjectMapper().readTree(run(environment, workspace.resolve("queue-" + workers + ".log"),
                "run", JOB, "--queue", "--json"));
        String runId = queued.get("run_id").asText();
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            processes.add(start(environment, workspace.resolve("worker-" + workers + "-" + w + ".log"), "worker",
                    "--id", "w" + w, "--threads", "2", "--until-done", runId));
        }
        for (Process process : processes) {
            process.waitFor();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        try (RunStore runs = RunStores.open(storeUrl)) {
            RunRecord record = runs.run(runId).orElseThrow();
            Map<String, Double> steps = new LinkedHashMap<>();
            java.time.Instant publishStart = null;
            java.time.Instant publishEnd = null;
            for (StepRecord step : runs.steps(runId)) {
                if (step.startedAt() == null || step.endedAt() == null) {
                    continue;
                }
                if (step.step().startsWith("publish")) {
                    publishStart = publishStart == null || step.startedAt().isBefore(publishStart) ? step.startedAt()
                            : publishStart;
                    publishEnd = publishEnd == null || step.endedAt().isAfter(publishEnd) ? step.endedAt() : publishEnd;
                } else {
                    steps.put(step.step(), Duration.between(step.startedAt(), step.endedAt()).toMillis() / 1000.0);
                }
            }
            if (publishStart != null) {
                steps.put("publish", Duration.between(publishStart, publishEnd).toMillis() / 1000.0);
            }
            String status = record.status() == RunStatus.SUCCESS ? "success"
                    : record.status().name().toLowerCase(Locale.ROOT) + ": " + record.message();
            return new Measure(housings, engine, workers + (workers == 1 ? " worker" : " workers"), seconds, steps,
                    status);
        }
    }

    private static String seconds(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.1f s", value);
    }

    /** Runs the entrepot jar to its end; returns its standard output; its standard error goes to {@code log}. */
    static byte[] run(Map<String, String> environment, Path log, String... arguments) throws Exception {
        Process process = start(environment, log, arguments);
        byte[] output = process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("entrepot " + String.join(" ", arguments) + " failed (exit " + exit
                    + "); see " + log);
        }
        return output;
    }

    private static Process start(Map<String, String> environment, Path log, String... arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-jar", "entrepot-cli/target/entrepot.jar"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        if (!arguments[0].equals("demo") && !arguments[0].equals("run")) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    static String postgresVersion(String postgres) {
        try (Connection connection = DriverManager.getConnection(postgres + "postgres?user=postgres");
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return "PostgreSQL " + rows.getString(1);
        } catch (java.sql.SQLException e) {
            return "PostgreSQL (version unknown: " + e.getMessage() + ")";
        }
    }

    private static List<Long> parseLongs(String text) {
        return java.util.Arrays.stream(text.split(",")).map(s -> Long.parseLong(s.strip().replace("_", ""))).toList();
    }
}
