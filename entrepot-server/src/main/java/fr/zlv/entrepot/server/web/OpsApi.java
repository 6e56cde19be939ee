package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.run.CheckOutcome;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.JobSpec;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.orchestrator.schedule.JobLauncher;
import fr.zlv.entrepot.orchestrator.schedule.ScheduleView;
import fr.zlv.entrepot.orchestrator.schedule.Scheduler;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations pages' data, as JSON-ready maps: assets with their state and lineage, runs with their steps and
 * events, jobs, schedules and checks; and the operator's actions (launch a job, materialize a selection, re-execute,
 * cancel, switch a schedule, run an asset's checks). Reads come from the run store and the definitions; actions go to
 * the orchestrator of this process.
 */
final class OpsApi {

    private static final int MAX_RUNS = 500;
    private static final int MAX_EVENTS = 2_000;

    private final Definitions definitions;
    private final RunStore store;
    private final Orchestrator orchestrator;
    private final Scheduler scheduler;
    private final Map<String, StepSpec> steps = new HashMap<>();

    /** @param orchestrator null: nothing can be launched from this process (the pages say so) */
    OpsApi(Definitions definitions, RunStore store, Orchestrator orchestrator, Clock clock) {
        this.definitions = definitions;
        this.store = store;
        this.orchestrator = orchestrator;
        JobLauncher launcher = orchestrator != null ? orchestrator : new JobLauncher() {
            @Override
            public String launch(String job, String trigger) {
                throw EntrepotException.badInput("This server runs no orchestrator.", null);
            }

            @Override
            public boolean active(String job) {
                return false;
            }
        };
        this.scheduler = new Scheduler(definitions.schedules(), store, launcher, clock);
        definitions.steps().forEach(step -> steps.put(step.name(), step));
    }

    boolean canLaunch() {
        return orchestrator != null;
    }

    // Assets

    /** Every asset with its state, and the groups and kinds found. */
    Map<String, Object> assets() {
        Map<AssetKey, AssetStates.State> states = AssetStates.of(definitions, store);
        List<Map<String, Object>> assets = new ArrayList<>();
        Set<String> groups = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        for (AssetSpec spec : definitions.graph().specs()) {
            AssetStates.State state = states.get(spec.key());
            groups.add(spec.group());
            if (!spec.kind().isEmpty()) {
                kinds.add(spec.kind());
            }
            Map<String, Object> json = assetSummary(spec);
            json.put("status", state.status());
            json.put("status_run", state.runId());
            json.put("last_materialization", materialization(state.last()));
            long passed = state.checks().values().stream().filter(CheckResultRecord::passed).count();
            json.put("checks_passed", passed);
            json.put("checks_failed", state.checks().size() - passed);
            assets.add(json);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("assets", assets);
        body.put("groups", groups);
        body.put("kinds", kinds);
        return body;
    }

    private Map<String, Object> assetSummary(AssetSpec spec) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", spec.key().path());
        json.put("group", spec.group());
        json.put("kind", spec.kind());
        json.put("upstream", definitions.graph().upstream(spec.key()).stream().map(AssetKey::path).toList());
        json.put("checks", spec.checks().size());
        return json;
    }

    /** One asset: what it is, its neighbours, its materializations and the results of its checks. */
    Map<String, Object> asset(String keyText) throws WebError {
        AssetKey key = key(keyText);
        AssetSpec spec = definitions.graph().spec(key);
        AssetStates.State state = AssetStates.of(definitions, store).get(key);
        Map<String, Object> json = assetSummary(spec);
        json.put("description", spec.description());
        json.put("owner", spec.owner());
        json.put("tags", new TreeSet<>(spec.tags()));
        json.put("step", definitions.stepOf(key).name());
        json.put("downstream", definitions.graph().downstream(key).stream().map(AssetKey::path).toList());
        json.put("status", state.status());
        json.put("status_run", state.runId());
        json.put("materializations", store.materializations(key, 10).stream().map(OpsApi::materialization).toList());
        json.put("checks", checksOf(spec, state));
        return json;
    }

    private AssetKey key(String text) throws WebError {
        if (text == null || text.isBlank()) {
            throw WebError.badRequest("Name the asset: ?key=<asset key>, e.g. ?key=marts/marts_production_housing.");
        }
        AssetKey key;
        try {
            key = new AssetKey(text.strip());
        } catch (IllegalArgumentException e) {
            throw WebError.badRequest(e.getMessage());
        }
        if (!definitions.graph().contains(key)) {
            throw WebError.notFound("No asset is named " + key + ".");
        }
        return key;
    }

    /** Every asset that has checks: each check and its latest result. */
    Map<String, Object> checks() {
        Map<AssetKey, AssetStates.State> states = AssetStates.of(definitions, store);
        List<Map<String, Object>> assets = new ArrayList<>();
        for (AssetSpec spec : definitions.graph().specs()) {
            if (spec.checks().isEmpty()) {
                continue;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", spec.key().path());
            json.put("status", states.get(spec.key()).status());
            json.put("checks", checksOf(spec, states.get(spec.key())));
            assets.add(json);
        }
        return Map.of("assets", assets);
    }

    private static List<Map<String, Object>> checksOf(AssetSpec spec, AssetStates.State state) {
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckSpec check : spec.checks()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", check.name());
            c.put("kind", check.kind().name().toLowerCase(Locale.ROOT));
            c.put("blocking", check.blocking());
            CheckResultRecord result = state.checks().get(check.name());
            c.put("result", result == null ? null : checkResult(result));
            checks.add(c);
        }
        return checks;
    }

    /** Runs the checks the orchestrator evaluates (not the dbt tests, which run with their models) on one asset now. */
    Map<String, Object> runChecks(String keyText) throws WebError {
        AssetKey key = key(keyText);
        AssetSpec spec = definitions.graph().spec(key);
        List<Map<String, Object>> results = new ArrayList<>();
        for (CheckSpec check : spec.checks()) {
            if (check.kind() == CheckSpec.Kind.DBT_TEST) {
                continue;
            }
            CheckOutcome outcome;
            try {
                outcome = definitions.checks().evaluate(spec, check, store, "checks");
            } catch (EntrepotException e) {
                throw WebError.of(e);
            }
            CheckResultRecord record = new CheckResultRecord(key, outcome.check(), "checks", Instant.now(),
                    outcome.passed(), outcome.blocking(), outcome.message());
            store.recordCheck(record);
            results.add(checkResult(record));
        }
        return Map.of("asset", key.path(), "results", results);
    }

    // Runs

    Map<String, Object> runs(String job, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_RUNS));
        return Map.of("runs", store.runs(job == null || job.isBlank() ? null : job, n).stream()
                .map(OpsApi::run).toList());
    }

    /** A run, its steps (with the assets each built or was to build) and whether it can be cancelled here. */
    Map<String, Object> run(String runId) throws WebError {
        RunRecord run = store.run(runId).orElseThrow(() -> WebError.notFound("No run has the id " + runId + "."));
        Map<String, Object> json = run(run);
        Set<AssetKey> selected = AssetStates.selection(definitions, run);
        List<Map<String, Object>> stepList = new ArrayList<>();
        for (StepRecord step : store.steps(runId)) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", step.step());
            s.put("status", step.status().name().toLowerCase(Locale.ROOT));
            s.put("attempts", step.attempts());
            s.put("started_at", text(step.startedAt()));
            s.put("ended_at", text(step.endedAt()));
            s.put("duration_ms", millis(step.startedAt(), step.endedAt()));
            s.put("error", step.error());
            StepSpec spec = steps.get(step.step());
            s.put("assets", spec == null ? List.of() : spec.assets().stream().filter(selected::contains)
                    .map(AssetKey::path).toList());
            stepList.add(s);
        }
        json.put("steps", stepList);
        json.put("can_cancel", orchestrator != null && !run.status().finished());
        json.put("can_reexecute", orchestrator != null && run.status().finished()
                && run.status() != fr.zlv.entrepot.orchestrator.store.RunStatus.SUCCESS);
        return json;
    }

    Map<String, Object> events(String runId, long after) throws WebError {
        RunRecord run = store.run(runId).orElseThrow(() -> WebError.notFound("No run has the id " + runId + "."));
        List<RunEvent> events = store.events(runId, after);
        List<Map<String, Object>> list = new ArrayList<>();
        for (RunEvent event : events.subList(0, Math.min(events.size(), MAX_EVENTS))) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("seq", event.seq());
            e.put("time", text(event.time()));
            e.put("step", event.step());
            e.put("level", event.level().name().toLowerCase(Locale.ROOT));
            e.put("type", event.type());
            e.put("message", event.message());
            list.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", list);
        body.put("more", events.size() > MAX_EVENTS);
        body.put("status", status(run));
        return body;
    }

    String launchJob(String job) throws WebError {
        requireOrchestrator();
        try {
            return orchestrator.runJob(job, "web");
        } catch (EntrepotException e) {
            throw WebError.of(e);
        }
    }

    String materialize(String selection) throws WebError {
        requireOrchestrator();
        if (selection == null || selection.isBlank()) {
            throw WebError.badRequest("Choose the assets to materialize.");
        }
        try {
            return orchestrator.materialize(selection, "web");
        } catch (EntrepotException e) {
            throw WebError.of(e);
        }
    }

    String reexecute(String runId) throws WebError {
        requireOrchestrator();
        try {
            return orchestrator.reexecute(runId);
        } catch (EntrepotException e) {
            throw WebError.of(e);
        }
    }

    void cancel(String runId) throws WebError {
        requireOrchestrator();
        try {
            orchestrator.cancel(runId);
        } catch (EntrepotException e) {
            throw WebError.of(e);
        }
    }

    private void requireOrchestrator() throws WebError {
        if (orchestrator == null) {
            throw new WebError(409, "NO_ORCHESTRATOR", "This server runs no orchestrator: runs are launched by"
                    + " the process that runs them (entrepot run, entrepot daemon).");
        }
    }

    // Jobs and schedules

    Map<String, Object> jobs() {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (JobSpec job : definitions.jobs()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("job", job.name());
            json.put("description", job.description());
            json.put("select", job.selection());
            int count;
            try {
                count = AssetSelection.select(definitions.graph(), job.selection()).size();
            } catch (EntrepotException e) {
                count = 0;
            }
            json.put("assets", count);
            List<RunRecord> last = store.runs(job.name(), 1);
            json.put("last_run", last.isEmpty() ? null : run(last.get(0)));
            jobs.add(json);
        }
        List<Map<String, Object>> schedules = new ArrayList<>();
        for (ScheduleView view : scheduler.list()) {
            schedules.add(schedule(view));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", jobs);
        body.put("schedules", schedules);
        return body;
    }

    Map<String, Object> switchSchedule(String name, boolean on) throws WebError {
        try {
            return schedule(on ? scheduler.on(name) : scheduler.off(name));
        } catch (EntrepotException e) {
            throw WebError.of(e);
        }
    }

    private static Map<String, Object> schedule(ScheduleView view) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schedule", view.name());
        json.put("job", view.job());
        json.put("cron", view.cron());
        json.put("timezone", view.zone().getId());
        json.put("on", view.on());
        json.put("next_tick", view.nextTick() == null ? null : view.nextTick().toOffsetDateTime().toString());
        json.put("last_tick", view.lastTick() == null ? null : view.lastTick().toOffsetDateTime().toString());
        json.put("last_run", view.lastRunId());
        return json;
    }

    // JSON of the store's records

    static Map<String, Object> run(RunRecord run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", run.runId());
        json.put("job", run.job().equals(Orchestrator.AD_HOC_JOB) ? null : run.job());
        json.put("selection", run.selection());
        json.put("status", status(run));
        json.put("trigger", run.trigger());
        json.put("reexecution_of", run.reexecutionOf());
        json.put("created_at", text(run.createdAt()));
        json.put("started_at", text(run.startedAt()));
        json.put("ended_at", text(run.endedAt()));
        json.put("duration_ms", millis(run.startedAt(), run.endedAt()));
        json.put("message", run.message());
        return json;
    }

    private static String status(RunRecord run) {
        return run.status().name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> materialization(MaterializationRecord m) {
        if (m == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", text(m.time()));
        json.put("run_id", m.runId());
        json.put("rows", m.rows());
        json.put("duration_ms", m.durationMillis());
        json.put("schema_hash", m.schemaHash());
        return json;
    }

    static Map<String, Object> checkResult(CheckResultRecord r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("check", r.check());
        json.put("passed", r.passed());
        json.put("blocking", r.blocking());
        json.put("time", text(r.time()));
        json.put("run_id", r.runId());
        json.put("message", r.message());
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Long millis(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }

    /** The selection that picks exactly these assets. */
    static String selectionOf(List<String> keys) {
        Set<String> unique = new LinkedHashSet<>(keys);
        return String.join(" ", unique.stream().map(key -> "key:" + key).toList());
    }
}
