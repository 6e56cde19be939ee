package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
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

    /** The schema version the store is at (the number of the last migration applied). */
    int schemaVersion();

    /** Where the store is, for messages (no password). */
    String location();

    @Override
    void close();
}
