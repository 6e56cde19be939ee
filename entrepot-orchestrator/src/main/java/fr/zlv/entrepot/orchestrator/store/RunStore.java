package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where runs, their steps, events and logs, materializations, check results and schedule states are kept: a SQLite
 * file by default, PostgreSQL when several processes share it. Opening a store brings its schema to the current
 * version (versioned migrations). All methods are safe to call from several threads.
 */
public interface RunStore extends AutoCloseable {

    /** Stores a new run. */
    void createRun(RunRecord run);

    /** Replaces a run's status, times, message and heartbeat. */
    void updateRun(RunRecord run);

    Optional<RunRecord> run(String runId);

    /** The newest runs first; {@code job} null for all jobs. */
    List<RunRecord> runs(String job, int limit);

    /** The runs in one of these statuses, oldest first. */
    List<RunRecord> runsWithStatus(Set<RunStatus> statuses);

    /** Inserts or replaces a step of a run. */
    void saveStep(StepRecord step);

    /** A run's steps, in the order they were first saved. */
    List<StepRecord> steps(String runId);

    /** Appends events (their {@code seq} is ignored: the store numbers them in order). */
    void appendEvents(List<RunEvent> events);

    /** A run's events with a sequence number above {@code afterSeq}, in order. */
    List<RunEvent> events(String runId, long afterSeq);

    void recordMaterialization(MaterializationRecord materialization);

    /** An asset's materializations, newest first. */
    List<MaterializationRecord> materializations(AssetKey key, int limit);

    /** The last materialization of each asset ever materialized. */
    Map<AssetKey, MaterializationRecord> latestMaterializations();

    void recordCheck(CheckResultRecord result);

    /** An asset's check results, newest first. */
    List<CheckResultRecord> checkResults(AssetKey key, int limit);

    Optional<ScheduleState> scheduleState(String schedule);

    void saveScheduleState(ScheduleState state);

    /** Appends records to the API's audit log, in one transaction (their {@code id} is ignored: the store numbers them). */
    void appendAudit(List<AuditRecord> records);

    /** Audit records matching the query, newest first. */
    List<AuditRecord> audit(AuditQuery query);

    // The work queue shared by workers (entrepot worker): a queued run's steps, claimed one at a time.

    /**
     * Queues a run's steps for workers, each with the steps of the same run it waits for ({@code needs}, in
     * dependency order), and records them as pending steps of the run.
     */
    void enqueueSteps(String runId, Map<String, Set<String>> needs);

    /**
     * Claims for {@code worker} the oldest queued step, of any queued or started run, whose upstream steps are all
     * done; marks the step running and its run started. Several workers claiming at once get different steps.
     */
    Optional<WorkItem> claimStep(String worker, Instant now);

    /** Tells that {@code worker} is alive: the heartbeat of every step it holds becomes {@code now}. */
    void beat(String worker, Instant now);

    /**
     * Puts back in the queue the running steps whose worker has not beaten since {@code staleBefore}, so another
     * worker takes them; returns them as they are now (queued, their error naming the silent worker).
     */
    List<WorkItem> requeueStale(Instant staleBefore);

    /**
     * Ends a claimed step as DONE or FAILED, if {@code claim} still holds (the item names its worker and attempt):
     * in the same transaction, the step's materializations and check results are recorded and, for a failure, the
     * steps waiting on it are skipped. False when the claim was lost (the step was given to another worker): then
     * nothing is recorded.
     */
    boolean completeStep(WorkItem claim, WorkStatus status, String error, List<MaterializationRecord> materializations,
                         List<CheckResultRecord> checks, Instant now);

    /** A run's work items, in the order they were queued. */
    List<WorkItem> workItems(String runId);

    /**
     * Ends a queued run whose steps have all ended: FAILURE when one failed, else SUCCESS. Empty when steps remain,
     * or when the run had already ended (another worker ended it).
     */
    Optional<RunRecord> finishQueuedRun(String runId, Instant now);

    // Schedules shared by several daemons

    /**
     * Records that {@code schedule}'s tick fired; true for the one caller that recorded it first, false for every
     * other daemon ticking the same store.
     */
    boolean claimTick(String schedule, Instant tick, String firedBy, Instant now);

    /** The schema version the store is at (the number of the last migration applied). */
    int schemaVersion();

    /** Where the store is, for messages (no password). */
    String location();

    @Override
    void close();
}
