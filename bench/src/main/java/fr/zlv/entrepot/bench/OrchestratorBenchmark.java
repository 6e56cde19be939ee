package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.run.CheckEvaluator;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.JobSpec;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.run.RetryPolicy;
import fr.zlv.entrepot.orchestrator.run.StepAction;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/orchestrator: a layered graph of no-op assets (each reads two assets of the layer before), run by the
 * orchestrator with a real SQLite run store, against the same no-op actions called in topological order by a plain
 * loop (the floor: what running the steps costs without any orchestration). Launch latency is the time from
 * {@code materialize()} to the first step running, measured on a one-asset run.
 */
public final class OrchestratorBenchmark {

    private OrchestratorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int assets = 2000;
        int rounds = 3;
        int launches = 50;
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--assets" -> assets = Integer.parseInt(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--launches" -> launches = Integer.parseInt(args[++i]);
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path directory = Path.of("bench", "target", "orchestrator").toAbsolutePath();
        Files.createDirectories(directory);
        AtomicLong firstStepAt = new AtomicLong();
        StepAction noOp = context -> firstStepAt.compareAndSet(0, System.nanoTime());
        Definitions definitions = layered(assets, noOp);

        // The floor: the same actions, in topological order, in a loop.
        double bestLoop = Double.MAX_VALUE;
        for (int round = 0; round < rounds + 1; round++) {
            long start = System.nanoTime();
            for (AssetKey key : definitions.graph().topologicalOrder()) {
                definitions.stepOf(key).action().run(null);
            }
            bestLoop = Math.min(bestLoop, (System.nanoTime() - start) / 1e9);
        }

        List<String> lines = new ArrayList<>();
        double[] bestRun = new double[] {Double.MAX_VALUE, Double.MAX_VALUE};
        int[] threads = {1, 4};
        double[] launchMillis = new double[launches];
        for (int t = 0; t < threads.length; t++) {
            Path storeFile = directory.resolve("runs-" + threads[t] + ".sqlite");
            Files.deleteIfExists(storeFile);
            try (RunStore store = RunStores.open(storeFile.toString());
                 Orchestrator orchestrator = new Orchestrator(definitions, store,
                         Orchestrator.Options.defaults().withThreads(threads[t]))) {
                for (int round = 0; round < rounds + 1; round++) { // the first round warms the JVM up
                    long start = System.nanoTime();
                    RunRecord run = orchestrator.await(orchestrator.runJob("all", "bench"), Duration.ofMinutes(10));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (run.status() != RunStatus.SUCCESS) {
                        throw new IllegalStateException("the benchmark run failed: " + run.message());
                    }
                    if (round > 0) {
                        bestRun[t] = Math.min(bestRun[t], seconds);
                    }
                }
                if (t == 0) {
                    for (int i = 0; i < launches + 5; i++) {
                        firstStepAt.set(0);
                        long requested = System.nanoTime();
                        String runId = orchestrator.materialize("layer0/asset0", "bench");
                        orchestrator.await(runId, Duration.ofMinutes(1));
                        if (i >= 5) {
                            launchMillis[i - 5] = (firstStepAt.get() - requested) / 1e6;
                        }
                    }
                }
            }
        }
        Arrays.sort(launchMillis);
        double medianLaunch = launchMillis[launches / 2];
        double p95Launch = launchMillis[(int) Math.min(launches - 1, Math.ceil(launches * 0.95) - 1)];
        double perStep1 = (bestRun[0] - bestLoop) * 1000 / assets;
        double perStep4 = (bestRun[1] - bestLoop) * 1000 / assets;

        lines.add("## Orchestrator: launch latency and per-step overhead (bench/orchestrator.sh)");
        lines.add("");
        lines.add("A layered graph of " + assets + " no-op assets (each reads two assets of the layer before), each its"
                + " own step, run as one job by the orchestrator with a SQLite run store (every step's start, end,"
                + " materialization and events written), against the same actions called in topological order by a"
                + " plain loop in the same JVM. Best of " + rounds + " rounds after a warm-up round.");
        lines.add("");
        lines.add("| what | time |");
        lines.add("|---|---|");
        lines.add(String.format(Locale.ROOT, "| plain loop, %d no-op actions (baseline) | %.2f ms |", assets, bestLoop * 1000));
        lines.add(String.format(Locale.ROOT, "| orchestrator, 1 thread | %.2f s (%.2f ms per step) |", bestRun[0], perStep1));
        lines.add(String.format(Locale.ROOT, "| orchestrator, 4 threads | %.2f s (%.2f ms per step) |", bestRun[1], perStep4));
        lines.add(String.format(Locale.ROOT, "| launch latency (request → first step running), median of %d | %.2f ms |",
                launches, medianLaunch));
        lines.add(String.format(Locale.ROOT, "| launch latency, 95th percentile | %.2f ms |", p95Launch));
        lines.add("");
        lines.add("Goals of the issue: launch under 100 ms, per-step overhead under 2 ms (the Python orchestrator the team"
                + " used: 3–6 s to launch a run, seconds per step; not measured here). Machine: "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ".");
        lines.addAll(demoDailyJob(Path.of("warehouse", "data", "demo", "runs.sqlite")));
        String markdown = String.join("\n", lines);
        System.out.println(markdown);
        BenchmarkReport.replaceSection(reportFile, "orchestrator", markdown);
    }

    /**
     * The last daily job the demo ran (its run store, when `entrepot demo` ran on this machine): the run's time against
     * the time of its steps, which ran one after the other; the rest is the orchestrator's (queue, checks, store).
     */
    private static List<String> demoDailyJob(Path storeFile) {
        if (!Files.isRegularFile(storeFile)) {
            return List.of("", "(Run `bin/entrepot demo` first to measure its daily job here too.)");
        }
        try (RunStore store = RunStores.open(storeFile.toString())) {
            RunRecord run = store.runs("datawarehouse_synchronize_and_build", 1).stream().findFirst().orElse(null);
            if (run == null || run.endedAt() == null) {
                return List.of("", "(The demo's run store has no finished daily job.)");
            }
            List<String> lines = new ArrayList<>();
            double total = Duration.between(run.createdAt(), run.endedAt()).toMillis() / 1000.0;
            double steps = 0;
            lines.add("");
            lines.add("The demo's daily job (`datawarehouse_synchronize_and_build`, " + run.runId().substring(0, 8)
                    + ", from `warehouse/data/demo/runs.sqlite` after `bin/entrepot demo`):");
            lines.add("");
            lines.add("| step | seconds |");
            lines.add("|---|---|");
            for (var step : store.steps(run.runId())) {
                double seconds = Duration.between(step.startedAt(), step.endedAt()).toMillis() / 1000.0;
                steps += seconds;
                lines.add(String.format(Locale.ROOT, "| %s (%s) | %.2f |", step.step(),
                        step.status().name().toLowerCase(Locale.ROOT), seconds));
            }
            double launch = Duration.between(run.createdAt(), store.steps(run.runId()).get(0).startedAt()).toMillis();
            lines.add(String.format(Locale.ROOT, "| the run, queued to ended | %.2f |", total));
            lines.add("");
            lines.add(String.format(Locale.ROOT, "Launch (queued → first step running): %.0f ms; orchestration outside"
                    + " the steps' own work (queue, asset checks, store writes): %.2f s of %.2f s. The steps' times"
                    + " include their asset checks.", launch, total - steps, total));
            return lines;
        }
    }

    /** Layers of 100 assets; asset i of a layer reads assets i and i+1 (mod 100) of the layer before. */
    private static Definitions layered(int assets, StepAction action) {
        int width = Math.min(100, assets);
        List<AssetSpec> specs = new ArrayList<>();
        List<StepSpec> steps = new ArrayList<>();
        for (int n = 0; n < assets; n++) {
            int layer = n / width;
            int index = n % width;
            Set<AssetKey> upstream = new LinkedHashSet<>();
            if (layer > 0) {
                upstream.add(AssetKey.of("layer" + (layer - 1), "asset" + index));
                upstream.add(AssetKey.of("layer" + (layer - 1), "asset" + (index + 1) % width));
            }
            AssetKey key = AssetKey.of("layer" + layer, "asset" + index);
            specs.add(new AssetSpec(key, upstream, "layer" + layer, "no-op", "bench", "", Set.of(), List.of()));
            steps.add(StepSpec.single(key, RetryPolicy.NONE, false, action));
        }
        return new Definitions(specs, steps, List.of(new JobSpec("all", "every asset", "*")), List.of(),
                CheckEvaluator.NONE);
    }
}
