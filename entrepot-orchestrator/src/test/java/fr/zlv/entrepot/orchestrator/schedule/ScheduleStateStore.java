package fr.zlv.entrepot.orchestrator.schedule;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.ScheduleState;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test scaffolding: a run store holding only schedule states in memory (the real stores are built and tested
 * elsewhere); every other method throws, so a scheduler touching them would fail the test.
 */
class ScheduleStateStore implements RunStore {

    private final Map<String, ScheduleState> states = new ConcurrentHashMap<>();
    private final Set<String> ticks = ConcurrentHashMap.newKeySet();

    @Override
    public boolean claimTick(String schedule, java.time.Instant tick, String firedBy, java.time.Instant now) {
        return ticks.add(schedule + "@" + tick);
    }

    @Override
    public void enqueueSteps(String runId, Map<String, Set<String>> needs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<fr.zlv.entrepot.orchestrator.store.WorkItem> claimStep(String worker, java.time.Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void beat(String worker, java.time.Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<fr.zlv.entrepot.orchestrator.store.WorkItem> requeueStale(java.time.Instant staleBefore) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean completeStep(fr.zlv.entrepot.orchestrator.store.WorkItem claim,
                                fr.zlv.entrepot.orchestrator.store.WorkStatus status, String error,
                                List<MaterializationRecord> materializations, List<CheckResultRecord> checks,
                                java.time.Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<fr.zlv.entrepot.orchestrator.store.WorkItem> workItems(String runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RunRecord> finishQueuedRun(String runId, java.time.Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ScheduleState> scheduleState(String schedule) {
        return Optional.ofNullable(states.get(schedule));
    }

    @Override
    public void saveScheduleState(ScheduleState state) {
        states.put(state.schedule(), state);
    }

    @Override
    public void createRun(RunRecord run) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void updateRun(RunRecord run) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RunRecord> runs(String job, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RunRecord> runsWithStatus(Set<RunStatus> statuses) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void saveStep(StepRecord step) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StepRecord> steps(String runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void appendEvents(List<RunEvent> events) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RunEvent> events(String runId, long afterSeq) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void recordMaterialization(MaterializationRecord materialization) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MaterializationRecord> materializations(AssetKey key, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<AssetKey, MaterializationRecord> latestMaterializations() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void recordCheck(CheckResultRecord result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<CheckResultRecord> checkResults(AssetKey key, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void appendAudit(List<fr.zlv.entrepot.orchestrator.store.AuditRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<fr.zlv.entrepot.orchestrator.store.AuditRecord> audit(
            fr.zlv.entrepot.orchestrator.store.AuditQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int schemaVersion() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String location() {
        return "memory (schedule states only)";
    }

    @Override
    public void close() {
    }
}
