package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetGraph;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.schedule.ScheduleSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the orchestrator runs: the assets and their graph, the steps that build them (each asset in exactly
 * one step), the jobs, the schedules, and the evaluator of the checks the orchestrator runs itself.
 */
public final class Definitions {

    private final AssetGraph graph;
    private final Map<String, StepSpec> steps = new LinkedHashMap<>();
    private final Map<AssetKey, StepSpec> stepOfAsset = new LinkedHashMap<>();
    private final Map<String, JobSpec> jobs = new LinkedHashMap<>();
    private final List<ScheduleSpec> schedules;
    private final CheckEvaluator checks;

    public Definitions(Collection<AssetSpec> assets, Collection<StepSpec> steps, Collection<JobSpec> jobs,
                       List<ScheduleSpec> schedules, CheckEvaluator checks) {
        this.graph = new AssetGraph(assets);
        for (StepSpec step : steps) {
            if (this.steps.put(step.name(), step) != null) {
                throw new IllegalArgumentException("two steps are named " + step.name());
            }
            for (AssetKey key : step.assets()) {
                graph.spec(key);
                StepSpec other = stepOfAsset.put(key, step);
                if (other != null) {
                    throw new IllegalArgumentException("asset " + key + " is built by two steps: " + other.name()
                            + " and " + step.name());
                }
            }
        }
        for (AssetSpec asset : assets) {
            if (!stepOfAsset.containsKey(asset.key())) {
                throw new IllegalArgumentException("no step builds asset " + asset.key());
            }
        }
        jobs.forEach(job -> this.jobs.put(job.name(), job));
        for (ScheduleSpec schedule : schedules) {
            job(schedule.job());
        }
        this.schedules = List.copyOf(schedules);
        this.checks = checks;
    }

    public AssetGraph graph() {
        return graph;
    }

    public StepSpec stepOf(AssetKey key) {
        return stepOfAsset.get(key);
    }

    public Collection<StepSpec> steps() {
        return steps.values();
    }

    public Collection<JobSpec> jobs() {
        return jobs.values();
    }

    public List<ScheduleSpec> schedules() {
        return schedules;
    }

    public CheckEvaluator checks() {
        return checks;
    }

    /** The job of that name; an unknown name is an error listing the closest one. */
    public JobSpec job(String name) {
        JobSpec job = jobs.get(name);
        if (job == null) {
            throw EntrepotException.badInput("No job is named '" + name + "'.",
                    EditDistance.closest(name, jobs.keySet()).map(close -> "Did you mean " + close + "? ").orElse("")
                            + "The jobs: " + String.join(", ", jobs.keySet()) + ".");
        }
        return job;
    }
}
