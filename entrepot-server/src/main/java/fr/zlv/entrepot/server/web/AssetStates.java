package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of every asset as the lineage graph colours it, from the run store:
 * <ol>
 *   <li>{@code running}: a step of a run now queued or started builds it, and this run has not materialized it yet;</li>
 *   <li>{@code failed}: a run newer than its last materialization failed in the step that builds it;</li>
 *   <li>{@code check_failed}: the latest result of one of its blocking checks failed;</li>
 *   <li>{@code warning}: the latest result of one of its non-blocking checks failed;</li>
 *   <li>{@code materialized}: built, checks passed (or none);</li>
 *   <li>{@code never}: never materialized.</li>
 * </ol>
 * The first that applies wins.
 */
final class AssetStates {

    /** How many recent runs are read to find running and failed steps. */
    private static final int RECENT_RUNS = 30;

    /** One asset's state, its last materialization and the latest result of each of its checks. */
    record State(String status, MaterializationRecord last, String runId, Map<String, CheckResultRecord> checks) {
    }

    private AssetStates() {
    }

    static Map<AssetKey, State> of(Definitions definitions, RunStore store) {
        Map<AssetKey, MaterializationRecord> latest = store.latestMaterializations();
        Map<String, StepSpec> steps = new HashMap<>();
        definitions.steps().forEach(step -> steps.put(step.name(), step));

        Map<AssetKey, String> running = new HashMap<>();
        Map<AssetKey, String> failed = new HashMap<>();
        Set<RunStatus> active = EnumSet.of(RunStatus.QUEUED, RunStatus.STARTED);
        for (RunRecord run : store.runs(null, RECENT_RUNS)) {
            boolean isActive = active.contains(run.status());
            if (!isActive && run.status() != RunStatus.FAILURE) {
                continue;
            }
            Set<AssetKey> selected = selection(definitions, run);
            for (StepRecord step : store.steps(run.runId())) {
                StepSpec spec = steps.get(step.step());
                if (spec == null) {
                    continue;
                }
                boolean building = isActive && !step.status().finished();
                boolean broke = !isActive && step.status() == StepStatus.FAILURE;
                if (!building && !broke) {
                    continue;
                }
                for (AssetKey key : spec.assets()) {
                    if (!selected.contains(key) || builtBy(latest.get(key), run)) {
                        continue;
                    }
                    if (building) {
                        running.putIfAbsent(key, run.runId());
                    } else if (newer(run, latest.get(key))) {
                        failed.putIfAbsent(key, run.runId());
                    }
                }
            }
        }

        Map<AssetKey, State> states = new LinkedHashMap<>();
        for (AssetSpec spec : definitions.graph().specs()) {
            AssetKey key = spec.key();
            MaterializationRecord last = latest.get(key);
            Map<String, CheckResultRecord> checks = latestChecks(store, spec);
            String status;
            String runId = last == null ? null : last.runId();
            if (running.containsKey(key)) {
                status = "running";
                runId = running.get(key);
            } else if (failed.containsKey(key)) {
                status = "failed";
                runId = failed.get(key);
            } else if (checks.values().stream().anyMatch(c -> !c.passed() && c.blocking())) {
                status = "check_failed";
            } else if (checks.values().stream().anyMatch(c -> !c.passed())) {
                status = "warning";
            } else {
                status = last == null ? "never" : "materialized";
            }
            states.put(key, new State(status, last, runId, checks));
        }
        return states;
    }

    /** The assets a run selected; none when its selection no longer parses (the assets changed since). */
    static Set<AssetKey> selection(Definitions definitions, RunRecord run) {
        try {
            return AssetSelection.select(definitions.graph(), run.selection());
        } catch (EntrepotException | IllegalArgumentException e) {
            return Set.of();
        }
    }

    private static boolean builtBy(MaterializationRecord last, RunRecord run) {
        return last != null && run.runId().equals(last.runId());
    }

    private static boolean newer(RunRecord run, MaterializationRecord last) {
        Instant at = run.endedAt() != null ? run.endedAt() : run.createdAt();
        return last == null || at.isAfter(last.time());
    }

    /** The newest result of each declared check (checks never run are absent). */
    private static Map<String, CheckResultRecord> latestChecks(RunStore store, AssetSpec spec) {
        if (spec.checks().isEmpty()) {
            return Map.of();
        }
        Map<String, CheckResultRecord> latest = new LinkedHashMap<>();
        List<CheckResultRecord> results = store.checkResults(spec.key(), Math.max(20, 3 * spec.checks().size()));
        for (CheckResultRecord result : results) {
            latest.putIfAbsent(result.check(), result);
        }
        return latest;
    }
}
