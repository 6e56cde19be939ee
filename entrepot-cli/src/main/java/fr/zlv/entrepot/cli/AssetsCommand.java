package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.run.CheckOutcome;
import fr.zlv.entrepot.orchestrator.run.JobSpec;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code entrepot assets}, {@code entrepot checks run} and {@code entrepot jobs list}: what the orchestrator knows. */
final class AssetsCommand {

    private AssetsCommand() {
    }

    @Command(name = "assets", mixinStandardHelpOptions = true, description = "The warehouse's assets and their history.",
            subcommands = {ListAssets.class, Show.class})
    static final class Assets {
        @ParentCommand
        EntrepotCommand root;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every asset (or a selection): group, kind, upstream count, last materialization.")
    static final class ListAssets implements Runnable {
        @ParentCommand
        Assets parent;

        @Option(names = {"-s", "--select"}, paramLabel = "SELECTION", description = "Only these assets.")
        String selection;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (Platform platform = Platform.open(parent.root.settings())) {
                Set<AssetKey> keys = AssetSelection.select(platform.definitions.graph(), selection == null ? "*" : selection);
                Map<AssetKey, MaterializationRecord> latest = platform.store.latestMaterializations();
                if (json) {
                    Output.json(System.out, keys.stream().map(key -> describe(platform, key, latest.get(key))).toList());
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("asset", "group", "kind", "upstream", "checks", "last materialized", "rows"));
                for (AssetKey key : keys) {
                    AssetSpec spec = platform.definitions.graph().spec(key);
                    MaterializationRecord last = latest.get(key);
                    rows.add(List.of(key.path(), spec.group(), spec.kind(),
                            Integer.toString(platform.definitions.graph().upstream(key).size()),
                            Integer.toString(spec.checks().size()), last == null ? "never" : last.time().toString(),
                            last == null || last.rows() == null ? "" : Output.count(last.rows())));
                }
                Output.table(System.out, rows, false);
                System.out.println(keys.size() + " asset(s).");
            }
        }
    }

    static Map<String, Object> describe(Platform platform, AssetKey key, MaterializationRecord last) {
        AssetSpec spec = platform.definitions.graph().spec(key);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key.path());
        json.put("group", spec.group());
        json.put("kind", spec.kind());
        json.put("owner", spec.owner());
        json.put("description", spec.description());
        json.put("tags", spec.tags());
        json.put("step", platform.definitions.stepOf(key).name());
        json.put("upstream", platform.definitions.graph().upstream(key).stream().map(AssetKey::path).toList());
        json.put("downstream", platform.definitions.graph().downstream(key).stream().map(AssetKey::path).toList());
        json.put("checks", spec.checks().stream().map(CheckSpec::name).toList());
        json.put("last_materialization", last);
        return json;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One asset: what it is, what it reads, what reads it, its materializations and check results.")
    static final class Show implements Runnable {
        @ParentCommand
        Assets parent;

        @Parameters(paramLabel = "ASSET", description = "The asset key (e.g. marts/marts_production_campaigns).")
        String key;

        @Option(names = {"-n", "--limit"}, defaultValue = "10", description = "How many past materializations.")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (Platform platform = Platform.open(parent.root.settings())) {
                // "key:" picks exactly that asset, or fails naming the closest key.
                AssetKey assetKey = AssetSelection.select(platform.definitions.graph(), "key:" + key).iterator().next();
                List<MaterializationRecord> history = platform.store.materializations(assetKey, limit);
                List<CheckResultRecord> checks = platform.store.checkResults(assetKey, limit);
                Map<String, Object> description = describe(platform, assetKey, history.isEmpty() ? null : history.get(0));
                if (json) {
                    description.put("materializations", history);
                    description.put("check_results", checks);
                    Output.json(System.out, description);
                    return;
                }
                description.forEach((name, value) -> {
                    if (!name.equals("last_materialization")) {
                        System.out.println(name + ": " + value);
                    }
                });
                System.out.println();
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("materialized", "run", "rows", "seconds"));
                history.forEach(m -> rows.add(List.of(m.time().toString(), m.runId().substring(0, 8),
                        m.rows() == null ? "" : Output.count(m.rows()), Output.decimal(m.durationMillis() / 1000.0, 2))));
                Output.table(System.out, rows, false);
                if (!checks.isEmpty()) {
                    System.out.println();
                    List<List<String>> checkRows = new ArrayList<>();
                    checkRows.add(List.of("checked", "check", "result", "message"));
                    checks.forEach(c -> checkRows.add(List.of(c.time().toString(), c.check(), c.passed() ? "passed"
                            : c.blocking() ? "FAILED" : "warning", c.message() == null ? "" : c.message())));
                    Output.table(System.out, checkRows, false);
                }
            }
        }
    }

    @Command(name = "checks", mixinStandardHelpOptions = true, description = "Asset checks.", subcommands = RunChecks.class)
    static final class Checks {
        @ParentCommand
        EntrepotCommand root;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the asset checks of jobs.yml now on the warehouse (existence, freshness, row counts,"
                    + " schema); dbt tests run with the models (entrepot dbt test).", "Exit code 1 when a blocking check fails."})
    static final class RunChecks implements Runnable {
        @ParentCommand
        Checks parent;

        @Option(names = {"-s", "--select"}, paramLabel = "SELECTION", description = "Only these assets' checks.")
        String selection;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (Platform platform = Platform.open(parent.root.settings())) {
                List<Map<String, Object>> results = new ArrayList<>();
                int blockingFailures = 0;
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("asset", "check", "result", "message"));
                for (AssetKey key : AssetSelection.select(platform.definitions.graph(), selection == null ? "*" : selection)) {
                    AssetSpec spec = platform.definitions.graph().spec(key);
                    for (CheckSpec check : spec.checks()) {
                        if (check.kind() == CheckSpec.Kind.DBT_TEST) {
                            continue;
                        }
                        CheckOutcome outcome = platform.definitions.checks().evaluate(spec, check, platform.store, "checks");
                        platform.store.recordCheck(new CheckResultRecord(key, outcome.check(), "checks", Instant.now(),
                                outcome.passed(), outcome.blocking(), outcome.message()));
                        if (!outcome.passed() && outcome.blocking()) {
                            blockingFailures++;
                        }
                        String result = outcome.passed() ? "passed" : outcome.blocking() ? "FAILED" : "warning";
                        rows.add(List.of(key.path(), outcome.check(), result, outcome.message()));
                        results.add(Map.of("asset", key.path(), "check", outcome.check(), "result", result,
                                "message", outcome.message()));
                    }
                }
                if (json) {
                    Output.json(System.out, results);
                } else {
                    Output.table(System.out, rows, false);
                    System.out.println(results.size() + " check(s), " + blockingFailures + " blocking failure(s).");
                }
                if (blockingFailures > 0) {
                    throw EntrepotException.failed(blockingFailures + " blocking check(s) failed.",
                            "See the table above; rebuild the assets with entrepot materialize -s ASSET.", null);
                }
            }
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "The jobs of jobs.yml.",
            subcommands = ListJobs.class)
    static final class Jobs {
        @ParentCommand
        EntrepotCommand root;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Each job: its selection and how many assets it builds.")
    static final class ListJobs implements Runnable {
        @ParentCommand
        Jobs parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (Platform platform = Platform.open(parent.root.settings())) {
                List<Map<String, Object>> jobs = new ArrayList<>();
                for (JobSpec job : platform.definitions.jobs()) {
                    int assets = AssetSelection.select(platform.definitions.graph(), job.selection()).size();
                    jobs.add(Map.of("job", job.name(), "select", job.selection(), "assets", assets,
                            "description", job.description()));
                }
                if (json) {
                    Output.json(System.out, jobs);
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("job", "select", "assets", "description"));
                jobs.forEach(job -> rows.add(List.of(job.get("job").toString(), job.get("select").toString(),
                        job.get("assets").toString(), job.get("description").toString())));
                Output.table(System.out, rows, false);
            }
        }
    }
}
