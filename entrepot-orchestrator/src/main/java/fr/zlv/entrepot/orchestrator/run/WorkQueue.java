package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.schedule.JobLauncher;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunEvent.Level;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Queues runs for {@link Worker}s instead of running them in this process: the run is stored as queued, owned by
 * {@value RunRecord#WORKERS}, with its steps as work items that workers claim from the store (PostgreSQL when the
 * workers are on several machines). The run ends when a worker ends its last step. As a {@link JobLauncher}, it lets
 * a daemon's schedules queue their runs for the workers.
 */
public final class WorkQueue implements JobLauncher {

    private final Definitions definitions;
    private final RunStore store;
    private final Clock clock;

    public WorkQueue(Definitions definitions, RunStore store, Clock clock) {
        this.definitions = definitions;
        this.store = store;
        this.clock = clock;
    }

    /** Queues a run of the job for the workers; returns its id. */
    public String enqueueJob(String jobName, String trigger) {
        JobSpec job = definitions.job(jobName);
        return enqueue(job.name(), job.selection(), AssetSelection.select(definitions.graph(), job.selection()), trigger);
    }

    /** Queues a run materializing the selection for the workers; returns its id. */
    public String enqueueSelection(String selection, String trigger) {
        return enqueue(Orchestrator.AD_HOC_JOB, selection, AssetSelection.select(definitions.graph(), selection),
                trigger);
    }

    private String enqueue(String job, String selectionText, Set<AssetKey> selection, String trigger) {
        RunPlan plan = RunPlan.of(definitions, selection);
        Instant now = clock.instant();
        String runId = UUID.randomUUID().toString();
        RunRecord run = new RunRecord(runId, job, selectionText, RunStatus.QUEUED, trigger, null, now, null, null,
                null, RunRecord.WORKERS, now);
        store.createRun(run);
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        plan.steps().forEach(step -> needs.put(step.spec().name(), step.needs().keySet()));
        store.enqueueSteps(runId, needs);
        store.appendEvents(List.of(new RunEvent(runId, 0, now, null, Level.INFO, "RUN_QUEUED", "Run of " + job
                + " queued for workers (" + trigger + "): " + selection.size() + " asset(s) in " + needs.size()
                + " step(s)")));
        if (plan.isEmpty()) {
            store.finishQueuedRun(runId, now);
        }
        return runId;
    }

    @Override
    public String launch(String job, String trigger) {
        return enqueueJob(job, trigger);
    }

    @Override
    public boolean active(String job) {
        return store.runsWithStatus(Set.of(RunStatus.QUEUED, RunStatus.STARTED)).stream()
                .anyMatch(run -> run.job().equals(job));
    }
}
