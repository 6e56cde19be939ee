package fr.zlv.entrepot.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every run store does, whatever database holds it. A subclass gives a fresh, empty location for each test
 * (a file, a PostgreSQL schema) and removes it after.
 */
abstract class RunStoreContract {

    /** Instants with nanoseconds, as the JDK's clock gives them: the store must give back exactly these. */
    static final Instant T0 = Instant.parse("2026-03-29T00:59:59.123456789Z");

    String location;
    RunStore store;

    /** A fresh location for a store, as {@link RunStores#open(String)} takes it. */
    abstract String newLocation() throws Exception;

    /** Removes what {@link #newLocation()} made. */
    abstract void removeLocation(String location) throws Exception;

    abstract StoreDialect dialect();

    @BeforeEach
    void openStore() throws Exception {
        location = newLocation();
        store = RunStores.open(location);
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
        removeLocation(location);
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static RunRecord queued(String runId, String job, Instant createdAt) {
        return new RunRecord(runId, job, "marts/+", RunStatus.QUEUED, "manual", null, createdAt, null, null, null,
                "1234@host", createdAt);
    }

    // Runs

    @Test
    void aCreatedRunReadsBackExactlyAsSaved() {
        RunRecord run = new RunRecord("r1", "datawarehouse_synchronize_and_build", "production/* marts/+",
                RunStatus.STARTED, "schedule:daily", "r0", T0, at(1).plusNanos(7), null, "building",
                "4242@warehouse-1", Instant.parse("1969-12-31T23:59:59.000000001Z"));

        store.createRun(run);

        assertThat(store.run("r1")).contains(run);
        assertThat(store.run("no-such-run")).isEmpty();
    }

    @Test
    void anUpdatedRunShowsItsNewStatusTimesAndMessage() {
        RunRecord run = queued("r1", "daily", T0);
        store.createRun(run);

        RunRecord started = run.withStatus(RunStatus.STARTED, at(1), null);
        store.updateRun(started);
        assertThat(store.run("r1")).contains(started);

        RunRecord failed = started.withStatus(RunStatus.FAILURE, at(5), RunRecord.INTERRUPTED + ": process 1234 died");
        store.updateRun(failed);

        RunRecord read = store.run("r1").orElseThrow();
        assertThat(read).isEqualTo(failed);
        assertThat(read.startedAt()).isEqualTo(at(1));
        assertThat(read.endedAt()).isEqualTo(at(5));
        assertThat(read.interrupted()).isTrue();
    }

    @Test
    void updatingARunNeverCreatedIsRefused() {
        assertThatThrownBy(() -> store.updateRun(queued("ghost", "daily", T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no run 'ghost'");
    }

    @Test
    void runsAreListedNewestFirstForOneJobOrForAll() {
        store.createRun(queued("a1", "daily", at(10)));
        store.createRun(queued("b1", "yearly", at(20)));
        store.createRun(queued("a2", "daily", at(30)));
        store.createRun(queued("a0", "daily", at(0)));
        // Same instant as a2, created after it: the later one is the newer.
        store.createRun(queued("a3", "daily", at(30)));

        assertThat(ids(store.runs("daily", 10))).containsExactly("a3", "a2", "a1", "a0");
        assertThat(ids(store.runs("daily", 2))).containsExactly("a3", "a2");
        assertThat(ids(store.runs(null, 10))).containsExactly("a3", "a2", "b1", "a1", "a0");
        assertThat(store.runs("monthly", 10)).isEmpty();
    }

    @Test
    void runsInSomeStatusesAreListedOldestFirst() {
        store.createRun(queued("q2", "daily", at(20)));
        store.createRun(queued("q1", "daily", at(10)));
        RunRecord done = queued("done", "daily", at(5));
        store.createRun(done);
        store.updateRun(done.withStatus(RunStatus.SUCCESS, at(6), null));
        RunRecord started = queued("s1", "yearly", at(15));
        store.createRun(started);
        store.updateRun(started.withStatus(RunStatus.STARTED, at(16), null));

        assertThat(ids(store.runsWithStatus(EnumSet.of(RunStatus.QUEUED, RunStatus.STARTED))))
                .containsExactly("q1", "s1", "q2");
        assertThat(ids(store.runsWithStatus(EnumSet.of(RunStatus.SUCCESS)))).containsExactly("done");
        assertThat(store.runsWithStatus(EnumSet.of(RunStatus.CANCELED))).isEmpty();
        assertThat(store.runsWithStatus(EnumSet.noneOf(RunStatus.class))).isEmpty();
    }

    private static List<String> ids(List<RunRecord> runs) {
        return runs.stream().map(RunRecord::runId).toList();
    }

    // Steps

    @Test
    void stepsKeepTheOrderTheyWereFirstSavedInWhenUpdated() {
        store.saveStep(new StepRecord("r1", "production/housing", StepStatus.RUNNING, 1, at(1), null, null));
        store.saveStep(new StepRecord("r1", "marts/housing", StepStatus.PENDING, 0, null, null, null));
        store.saveStep(new StepRecord("r2", "production/housing", StepStatus.PENDING, 0, null, null, null));
        store.saveStep(new StepRecord("r1", "publish/bi/housing", StepStatus.PENDING, 0, null, null, null));
        StepRecord failed = new StepRecord("r1", "production/housing", StepStatus.FAILURE, 3, at(1), at(9),
                "Cannot reach the production PostgreSQL");
        store.saveStep(failed);

        assertThat(store.steps("r1")).containsExactly(
                failed,
                new StepRecord("r1", "marts/housing", StepStatus.PENDING, 0, null, null, null),
                new StepRecord("r1", "publish/bi/housing", StepStatus.PENDING, 0, null, null, null));
        assertThat(store.steps("r2")).extracting(StepRecord::step).containsExactly("production/housing");
        assertThat(store.steps("r3")).isEmpty();
    }

    // Events

    static RunEvent event(String runId, String step, String message, Instant time) {
        return new RunEvent(runId, 0, time, step, RunEvent.Level.INFO, "log", message);
    }

    @Test
    void eventsComeInOrderNumberedByTheStoreAndTailAfterASequenceNumber() {
        store.appendEvents(List.of(
                event("r1", null, "run started", at(0)),
                event("r1", "a", "step a started", at(1)),
                event("r2", null, "another run", at(1))));
        store.appendEvents(List.of(new RunEvent("r1", 999, at(2), "a", RunEvent.Level.ERROR, "step_failure",
                "boom")));

        List<RunEvent> all = store.events("r1", 0);
        assertThat(all).extracting(RunEvent::message).containsExactly("run started", "step a started", "boom");
        assertThat(all).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates().doesNotContain(999L, 0L);
        assertThat(all.get(2)).isEqualTo(new RunEvent("r1", all.get(2).seq(), at(2), "a", RunEvent.Level.ERROR,
                "step_failure", "boom"));

        long seen = all.get(1).seq();
        store.appendEvents(List.of(event("r1", "b", "step b started", at(3))));
        assertThat(store.events("r1", seen)).extracting(RunEvent::message).containsExactly("boom", "step b started");
        assertThat(store.events("r1", store.events("r1", 0).get(3).seq())).isEmpty();
        store.appendEvents(List.of());
        assertThat(store.events("r2", 0)).extracting(RunEvent::message).containsExactly("another run");
    }

    @Test
    void aLogLineHoldingANulCharacterIsKeptWithAReplacementCharacter() {
        store.appendEvents(List.of(event("r1", "a", "binary\0output", at(0))));

        assertThat(store.events("r1", 0)).extracting(RunEvent::message).containsExactly("binary\uFFFDoutput");
    }

    @Test
    void eventsAppendedByManyThreadsAreAllKeptAndATailerMissesNone() throws Exception {
        int threads = 6;
        int batches = 40;
        int perBatch = 5;
        int total = threads * batches * perBatch;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String step = "step" + t;
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        int batch = b;
                        store.appendEvents(IntStream.range(0, perBatch)
                                .mapToObj(i -> event("r1", step, step + " line " + (batch * perBatch + i), at(batch)))
                                .toList());
                        store.saveStep(new StepRecord("r1", step, StepStatus.RUNNING, batch + 1, at(0), null, null));
                    }
                }));
            }
            // Like `entrepot runs logs --follow`: reads what is new since the last event it saw, while they write.
            Future<List<RunEvent>> tailer = pool.submit(() -> {
                List<RunEvent> seen = new ArrayList<>();
                long last = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen.size() < total && System.nanoTime() < deadline) {
                    List<RunEvent> fresh = store.events("r1", last);
                    seen.addAll(fresh);
                    if (!fresh.isEmpty()) {
                        last = fresh.get(fresh.size() - 1).seq();
                    }
                }
                return seen;
            });
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            List<RunEvent> tailed = tailer.get(60, TimeUnit.SECONDS);

            List<RunEvent> stored = store.events("r1", 0);
            assertThat(stored).hasSize(total);
            assertThat(stored).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
            assertThat(tailed).containsExactlyElementsOf(stored);
            // Each thread's lines are in the order it wrote them.
            Map<String, List<String>> byStep = stored.stream().collect(Collectors.groupingBy(RunEvent::step,
                    Collectors.mapping(RunEvent::message, Collectors.toList())));
            for (int t = 0; t < threads; t++) {
                String step = "step" + t;
                assertThat(byStep.get(step)).containsExactlyElementsOf(IntStream.range(0, batches * perBatch)
                        .mapToObj(i -> step + " line " + i).toList());
            }
            assertThat(store.steps("r1")).hasSize(threads).allSatisfy(step -> assertThat(step.attempts())
                    .isEqualTo(batches));
        } finally {
            pool.shutdownNow();
        }
    }

    // Materializations

    static final AssetKey HOUSING = AssetKey.of("marts", "marts_production_housing");
    static final AssetKey OWNERS = AssetKey.of("production", "owners");

    static MaterializationRecord materialization(AssetKey key, String runId, Instant time, Map<String, Object> meta) {
        return new MaterializationRecord(key, runId, key.path(), time, 1200L, 340, "sha256:ab12", meta);
    }

    @Test
    void materializationsComeNewestFirstWithTheirMetadata() {
        Map<String, Object> metadata = Map.of("rows_inserted", 12L, "source", "lovac_2025.csv", "ratio", 0.25,
                "columns", List.of("id", "geo_code"), "dbt", Map.of("materialized", "table", "incremental", false));
        MaterializationRecord first = materialization(HOUSING, "r1", at(10), metadata);
        MaterializationRecord third = new MaterializationRecord(HOUSING, "r3", "dbt_build", at(30), null, 0, null,
                Map.of());
        MaterializationRecord second = materialization(HOUSING, "r2", at(20), Map.of());
        store.recordMaterialization(first);
        store.recordMaterialization(third);
        // Recorded last but older: it comes second.
        store.recordMaterialization(second);
        store.recordMaterialization(materialization(OWNERS, "r1", at(5), Map.of()));

        assertThat(store.materializations(HOUSING, 10)).containsExactly(third, second, first);
        assertThat(store.materializations(HOUSING, 1)).containsExactly(third);
        assertThat(store.materializations(AssetKey.of("marts", "never_built"), 10)).isEmpty();
    }

    @Test
    void theLatestMaterializationOfEachAssetIsTheNewestEvenWhenRecordedOutOfOrder() {
        MaterializationRecord housingNew = materialization(HOUSING, "r2", at(20), Map.of("n", 2L));
        MaterializationRecord owners = materialization(OWNERS, "r1", at(5), Map.of());
        store.recordMaterialization(materialization(HOUSING, "r1", at(10), Map.of("n", 1L)));
        store.recordMaterialization(housingNew);
        store.recordMaterialization(materialization(HOUSING, "r0", at(1), Map.of("n", 0L)));
        store.recordMaterialization(owners);

        assertThat(store.latestMaterializations()).containsExactly(Map.entry(HOUSING, housingNew),
                Map.entry(OWNERS, owners));

        MaterializationRecord sameInstant = materialization(OWNERS, "r3", at(5), Map.of());
        store.recordMaterialization(sameInstant);
        assertThat(store.latestMaterializations().get(OWNERS)).isEqualTo(sameInstant);
    }

    @Test
    void metadataComesBackAsJsonGivesIt() {
        Instant seen = Instant.parse("2026-01-02T03:04:05Z");
        store.recordMaterialization(materialization(HOUSING, "r1", at(0), Map.of("count", 3, "seen", seen)));

        assertThat(store.materializations(HOUSING, 1).get(0).metadata())
                .containsExactlyInAnyOrderEntriesOf(Map.of("count", 3L, "seen", "2026-01-02T03:04:05Z"));
    }

    // Checks

    @Test
    void checkResultsComeNewestFirst() {
        CheckResultRecord fresh = new CheckResultRecord(HOUSING, "freshness", "r2", at(20), false, true,
                "last materialized 3 days ago, more than 1 day");
        CheckResultRecord rows = new CheckResultRecord(HOUSING, "row_count", "r1", at(10), true, false, null);
        CheckResultRecord other = new CheckResultRecord(OWNERS, "exists", "r1", at(10), true, true, "ok");
        store.recordCheck(rows);
        store.recordCheck(fresh);
        store.recordCheck(other);

        assertThat(store.checkResults(HOUSING, 10)).containsExactly(fresh, rows);
        assertThat(store.checkResults(HOUSING, 1)).containsExactly(fresh);
        assertThat(store.checkResults(OWNERS, 10)).containsExactly(other);
    }

    // Schedules

    @Test
    void aScheduleStateRoundTripsAndIsReplacedBySaving() {
        assertThat(store.scheduleState("daily")).isEmpty();

        ScheduleState off = new ScheduleState("daily", false, null, null);
        store.saveScheduleState(off);
        assertThat(store.scheduleState("daily")).contains(off);

        ScheduleState ticked = new ScheduleState("daily", true, Instant.parse("2026-03-29T04:00:00Z"), "r7");
        store.saveScheduleState(ticked);
        assertThat(store.scheduleState("daily")).contains(ticked);
        assertThat(store.scheduleState("yearly")).isEmpty();
    }

    // The schema and reopening

    @Test
    void aNewStoreIsAtTheShippedSchemaVersion() {
        assertThat(store.schemaVersion()).isEqualTo(dialect().migrations().size()).isPositive();
    }

    @Test
    void reopeningAStoreKeepsItsDataAndMigratesNothing() {
        RunRecord run = queued("r1", "daily", T0);
        store.createRun(run);
        store.appendEvents(List.of(event("r1", null, "started", at(1))));
        store.close();

        store = RunStores.open(location);

        assertThat(store.schemaVersion()).isEqualTo(dialect().migrations().size());
        assertThat(store.run("r1")).contains(run);
        assertThat(store.events("r1", 0)).extracting(RunEvent::message).containsExactly("started");
    }

    @Test
    void aNewMigrationAppliesOnTopOfTheShippedOnesOnceAndKeepsTheData() {
        store.createRun(queued("r1", "daily", T0));
        store.close();
        List<Migration> withV2 = new ArrayList<>(dialect().migrations());
        int v2 = withV2.size() + 1;
        // Would fail if run twice: the column would already be there.
        withV2.add(Migration.of(v2, "run notes", "ALTER TABLE runs ADD COLUMN note TEXT;\n"
                + "UPDATE runs SET note = 'migrated' -- a comment; with a semicolon\n;"));

        JdbcRunStore migrated = RunStores.open(location, dialect -> withV2);
        assertThat(migrated.schemaVersion()).isEqualTo(v2);
        assertThat(migrated.run("r1")).isPresent();
        migrated.close();

        store = RunStores.open(location, dialect -> withV2);
        assertThat(store.schemaVersion()).isEqualTo(v2);
        assertThat(store.run("r1")).isPresent();
    }

    @Test
    void aStoreNewerThanTheCodeIsRefusedWithItsVersions() {
        store.close();
        List<Migration> withV2 = new ArrayList<>(dialect().migrations());
        int shipped = withV2.size();
        withV2.add(Migration.of(shipped + 1, "from the future", "CREATE TABLE later (x INTEGER)"));
        RunStores.open(location, dialect -> withV2).close();

        assertThatThrownBy(() -> store = RunStores.open(location))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("is at schema version " + (shipped + 1) + ", newer than this Entrepôt knows"
                        + " (version " + shipped + ")")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("newer Entrepôt"));
        store = RunStores.open(location, dialect -> withV2);
    }

    @Test
    void aFailingMigrationLeavesNothingHalfDone() {
        store.close();
        List<Migration> broken = new ArrayList<>(dialect().migrations());
        int v2 = broken.size() + 1;
        broken.add(Migration.of(v2, "broken", "CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;"));

        assertThatThrownBy(() -> RunStores.open(location, dialect -> broken))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("migration V" + v2 + " (broken) failed on `SELECT * FROM no_such_table`");

        List<Migration> fixed = new ArrayList<>(dialect().migrations());
        fixed.add(Migration.of(v2, "fixed", "CREATE TABLE half_done (x INTEGER)"));
        store = RunStores.open(location, dialect -> fixed);
        assertThat(store.schemaVersion()).isEqualTo(v2);
    }

    @Test
    void twoProcessesOpeningANewStoreAtOnceBothFindItReady() throws Exception {
        store.close();
        removeLocation(location);
        location = newLocation();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunStore> first = pool.submit(() -> RunStores.open(location));
            Future<RunStore> second = pool.submit(() -> RunStores.open(location));
            try (RunStore other = second.get(60, TimeUnit.SECONDS)) {
                store = first.get(60, TimeUnit.SECONDS);
                other.createRun(queued("r1", "daily", T0));
                assertThat(store.run("r1")).isPresent();
                assertThat(store.schemaVersion()).isEqualTo(other.schemaVersion())
                        .isEqualTo(dialect().migrations().size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // The audit log

    static AuditRecord audited(Instant time, String subject, String outcome, long rows) {
        return AuditRecord.of(time, subject, "analyst", "{ housing { vacant_count } }", "{\"departement\":\"75\"}",
                rows, outcome, outcome.equals("ok") ? 200 : 403, 12, List.of("housing"), "127.0.0.1");
    }

    @Test
    void auditRecordsReadBackNewestFirstWithEveryField() {
        AuditRecord first = AuditRecord.of(T0, "alice", "territory", "query Q($d: String) { housing(departement: $d)"
                        + " { vacant_count } }", "{\"d\":\"01\"}", 42, "ok", 200, 37, List.of("housing", "owners"),
                "10.0.0.7");
        AuditRecord second = audited(at(1), "bob", "denied", 0);

        store.appendAudit(List.of(first, second));

        List<AuditRecord> read = store.audit(AuditQuery.latest(10));
        assertThat(read).hasSize(2);
        assertThat(read.get(0).subject()).isEqualTo("bob");
        AuditRecord back = read.get(1);
        assertThat(back.id()).isPositive();
        assertThat(back).isEqualTo(new AuditRecord(back.id(), T0, "alice", "territory", first.query(), "{\"d\":\"01\"}",
                42, "ok", 200, 37, List.of("housing", "owners"), "10.0.0.7"));
    }

    @Test
    void auditRecordsAreFilteredBySubjectTimeAndOutcomeAndLimited() {
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(audited(at(i), i % 2 == 0 ? "alice" : "bob", i % 3 == 0 ? "denied" : "ok", i));
        }
        store.appendAudit(batch);

        assertThat(store.audit(AuditQuery.latest(100).withSubject("alice"))).extracting(AuditRecord::rows)
                .containsExactly(8L, 6L, 4L, 2L, 0L);
        assertThat(store.audit(AuditQuery.latest(100).withSince(at(7)))).extracting(AuditRecord::rows)
                .containsExactly(9L, 8L, 7L);
        assertThat(store.audit(AuditQuery.latest(100).withSince(at(2)).withUntil(at(4))))
                .extracting(AuditRecord::rows).containsExactly(3L, 2L);
        assertThat(store.audit(AuditQuery.latest(100).withOutcome("denied"))).extracting(AuditRecord::rows)
                .containsExactly(9L, 6L, 3L, 0L);
        assertThat(store.audit(AuditQuery.latest(100).withSubject("bob").withOutcome("denied")))
                .extracting(AuditRecord::rows).containsExactly(9L, 3L);
        assertThat(store.audit(AuditQuery.latest(3))).extracting(AuditRecord::rows).containsExactly(9L, 8L, 7L);
        assertThat(store.audit(AuditQuery.latest(100).withSubject("nobody"))).isEmpty();
    }

    @Test
    void auditRecordsOfTheSameInstantKeepTheirOrderAndNullsSurvive() {
        AuditRecord anonymousVariables = AuditRecord.of(T0, "svc", null, null, null, 0, "invalid", 400, 1, List.of(),
                null);
        store.appendAudit(List.of(anonymousVariables, audited(T0, "svc", "ok", 5)));
        store.appendAudit(List.of());

        List<AuditRecord> read = store.audit(AuditQuery.latest(10));
        assertThat(read).extracting(AuditRecord::rows).containsExactly(5L, 0L);
        AuditRecord empty = read.get(1);
        assertThat(empty.role()).isNull();
        assertThat(empty.query()).isNull();
        assertThat(empty.variables()).isNull();
        assertThat(empty.cubes()).isEmpty();
        assertThat(empty.clientAddress()).isNull();
    }

    @Test
    void auditWritersInSeveralThreadsLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String subject = "writer-" + w;
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < 5; b++) {
                        List<AuditRecord> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(audited(at(b * 20 + i), subject, "ok", i));
                        }
                        store.appendAudit(batch);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.audit(AuditQuery.latest(1000))).hasSize(400);
        assertThat(store.audit(AuditQuery.latest(1000).withSubject("writer-2"))).hasSize(100);
    }

    // The work queue and shared schedules

    @Test
    void aScheduleTickIsClaimedByTheFirstCallerOnly() {
        assertThat(store.claimTick("daily", T0, "pid 1", at(1))).isTrue();
        assertThat(store.claimTick("daily", T0, "pid 2", at(2))).isFalse();
        assertThat(store.claimTick("daily", at(86_400), "pid 2", at(86_401))).isTrue();
        assertThat(store.claimTick("weekly", T0, "pid 2", at(3))).isTrue();
    }

    @Test
    void queuedStepsAreClaimedOnceTheirUpstreamIsDoneAndEndOnlyUnderTheirClaim() {
        store.createRun(new RunRecord("r1", "daily", "*", RunStatus.QUEUED, "manual", null, T0, null, null, null,
                RunRecord.WORKERS, T0));
        java.util.Map<String, java.util.Set<String>> needs = new java.util.LinkedHashMap<>();
        needs.put("raw", java.util.Set.of());
        needs.put("stg", java.util.Set.of("raw"));
        store.enqueueSteps("r1", needs);

        WorkItem raw = store.claimStep("w1", at(1)).orElseThrow();
        assertThat(raw).isEqualTo(new WorkItem("r1", "raw", WorkStatus.RUNNING, "w1", 1, at(1), null));
        assertThat(store.claimStep("w2", at(1))).as("stg waits for raw").isEmpty();
        assertThat(store.run("r1").orElseThrow().status()).isEqualTo(RunStatus.STARTED);

        // w1 falls silent: raw goes back to the queue, w2 takes it; w1's late result no longer counts.
        assertThat(store.requeueStale(at(5))).extracting(WorkItem::step).containsExactly("raw");
        WorkItem again = store.claimStep("w2", at(6)).orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        MaterializationRecord built = new MaterializationRecord(new AssetKey("raw"), "r1", "raw", at(7), 3L, 10, null,
                Map.of());
        assertThat(store.completeStep(raw, WorkStatus.DONE, null, List.of(built), List.of(), at(7))).isFalse();
        assertThat(store.materializations(new AssetKey("raw"), 5)).isEmpty();
        assertThat(store.completeStep(again, WorkStatus.DONE, null, List.of(built), List.of(), at(8))).isTrue();
        assertThat(store.materializations(new AssetKey("raw"), 5)).containsExactly(built);
        assertThat(store.finishQueuedRun("r1", at(8))).isEmpty();

        WorkItem stg = store.claimStep("w1", at(9)).orElseThrow();
        assertThat(stg.step()).isEqualTo("stg");
        assertThat(store.completeStep(stg, WorkStatus.FAILED, "boom", List.of(), List.of(), at(10))).isTrue();
        RunRecord ended = store.finishQueuedRun("r1", at(11)).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.FAILURE);
        assertThat(store.finishQueuedRun("r1", at(12))).as("ended once").isEmpty();
        assertThat(store.steps("r1")).extracting(StepRecord::status)
                .containsExactly(StepStatus.SUCCESS, StepStatus.FAILURE);
    }

    @Test
    void aFailedStepSkipsEveryStepWaitingOnIt() {
        store.createRun(new RunRecord("r1", "daily", "*", RunStatus.QUEUED, "manual", null, T0, null, null, null,
                RunRecord.WORKERS, T0));
        java.util.Map<String, java.util.Set<String>> needs = new java.util.LinkedHashMap<>();
        needs.put("a", java.util.Set.of());
        needs.put("b", java.util.Set.of("a"));
        needs.put("c", java.util.Set.of("b"));
        needs.put("d", java.util.Set.of());
        store.enqueueSteps("r1", needs);

        WorkItem a = store.claimStep("w1", at(1)).orElseThrow();
        store.completeStep(a, WorkStatus.FAILED, "boom", List.of(), List.of(), at(2));

        assertThat(store.workItems("r1")).extracting(WorkItem::status).containsExactly(WorkStatus.FAILED,
                WorkStatus.SKIPPED, WorkStatus.SKIPPED, WorkStatus.QUEUED);
        assertThat(store.claimStep("w1", at(3)).orElseThrow().step()).isEqualTo("d");
    }
}
