package fr.zlv.entrepot.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs through the orchestrator, with a real SQLite run store (and PostgreSQL in the subclass). */
class OrchestratorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private RunStore store;
    private Orchestrator orchestrator;

    /** Where the runs go: a SQLite file here, a PostgreSQL schema in {@link OrchestratorPostgresIT}. */
    String storeLocation() {
        return directory.resolve("runs.sqlite").toString();
    }

    private Orchestrator start(TestDefinitions definitions) {
        store = RunStores.open(storeLocation());
        orchestrator = new Orchestrator(definitions.build(), store, Orchestrator.Options.defaults().withThreads(4));
        return orchestrator;
    }

    @AfterEach
    void close() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (store != null) {
            store.close();
        }
        dropStore();
    }

    void dropStore() throws Exception {
    }

    private Map<String, StepStatus> steps(String runId) {
        return store.steps(runId).stream().collect(Collectors.toMap(StepRecord::step, StepRecord::status));
    }

    private List<String> eventTypes(String runId) {
        return store.events(runId, 0).stream().map(RunEvent::type).toList();
    }

    @Test
    void stepsStartAfterTheirUpstreamEndsAndIndependentStepsRunTogether() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        AtomicBoolean overlapped = new AtomicBoolean();
        StepAction meet = context -> {
            bothRunning.countDown();
            overlapped.compareAndSet(false, bothRunning.await(10, TimeUnit.SECONDS));
        };
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/a").asset("stg/b", meet, "raw/a").asset("stg/c", meet, "raw/a")
                .asset("marts/d", "stg/b", "stg/c");
        String runId = start(definitions).materialize("*", "manual");
        RunRecord run = orchestrator.await(runId, WAIT);

        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(overlapped).as("b and c ran at the same time").isTrue();
        assertThat(definitions.indexOf("end raw/a")).isLessThan(definitions.indexOf("start stg/b"))
                .isLessThan(definitions.indexOf("start stg/c"));
        assertThat(definitions.indexOf("start marts/d")).isGreaterThan(definitions.indexOf("end stg/b"))
                .isGreaterThan(definitions.indexOf("end stg/c"));
        assertThat(store.latestMaterializations()).hasSize(4);
        assertThat(steps(runId).values()).containsOnly(StepStatus.SUCCESS);
    }

    @Test
    void aFailureSkipsOnlyTheDescendantsOfTheFailedStep() {
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/a")
                .asset("stg/b", context -> {
                    throw new IllegalStateException("column 'x' not found");
                }, "raw/a")
                .asset("marts/c", "stg/b")
                .asset("marts/d", "raw/a");
        String runId = start(definitions).materialize("*", "manual");
        RunRecord run = orchestrator.await(runId, WAIT);

        assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
        assertThat(run.message()).contains("failed: stg/b").contains("1 step(s) skipped");
        assertThat(steps(runId)).containsEntry("raw/a", StepStatus.SUCCESS).containsEntry("stg/b", StepStatus.FAILURE)
                .containsEntry("marts/c", StepStatus.SKIPPED).containsEntry("marts/d", StepStatus.SUCCESS);
        assertThat(definitions.happened).doesNotContain("start marts/c");
        assertThat(store.steps(runId).stream().filter(s -> s.step().equals("stg/b")).findFirst().orElseThrow().error())
                .isEqualTo("column 'x' not found");
    }

    @Test
    void aFlakyStepIsRetriedUntilItPasses() {
        AtomicInteger calls = new AtomicInteger();
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/flaky", context -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("connection reset (call " + calls.get() + ")");
                    }
                    context.log("third time lucky");
                })
                .retry("raw/flaky", new RetryPolicy(3, Duration.ofMillis(20), 2, 0.5))
                .asset("stg/next", "raw/flaky");
        String runId = start(definitions).materialize("*", "manual");
        RunRecord run = orchestrator.await(runId, WAIT);

        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(calls).hasValue(3);
        StepRecord flaky = store.steps(runId).stream().filter(s -> s.step().equals("raw/flaky")).findFirst().orElseThrow();
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(eventTypes(runId).stream().filter("STEP_RETRY"::equals)).hasSize(2);
        assertThat(store.events(runId, 0)).anyMatch(e -> e.message().equals("third time lucky")
                && "raw/flaky".equals(e.step()));
    }

    @Test
    void aStepFailingEveryAttemptFailsAfterTheLastOne() {
        AtomicInteger calls = new AtomicInteger();
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/down", context -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("server unreachable");
                })
                .retry("raw/down", new RetryPolicy(2, Duration.ofMillis(10), 1, 0));
        String runId = start(definitions).materialize("raw/down", "manual");

        assertThat(orchestrator.await(runId, WAIT).status()).isEqualTo(RunStatus.FAILURE);
        assertThat(calls).hasValue(2);
        assertThat(store.events(runId, 0)).anyMatch(e -> e.type().equals("STEP_FAILURE")
                && e.message().contains("after 2 attempts: server unreachable"));
    }

    @Test
    void reExecutionRunsOnlyWhatFailedOrWasSkipped() {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger aRuns = new AtomicInteger();
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/a", context -> aRuns.incrementAndGet())
                .asset("stg/b", context -> {
                    if (broken.get()) {
                        throw new IllegalStateException("broken model");
                    }
                }, "raw/a")
                .asset("marts/c", "stg/b")
                .job("daily", "*");
        String first = start(definitions).runJob("daily", "manual");
        assertThat(orchestrator.await(first, WAIT).status()).isEqualTo(RunStatus.FAILURE);

        broken.set(false);
        String second = orchestrator.reexecute(first);
        RunRecord rerun = orchestrator.await(second, WAIT);

        assertThat(rerun.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(rerun.reexecutionOf()).isEqualTo(first);
        assertThat(rerun.job()).isEqualTo("daily");
        assertThat(steps(second).keySet()).containsExactlyInAnyOrder("stg/b", "marts/c");
        assertThat(aRuns).hasValue(1);
        assertThatThrownBy(() -> orchestrator.reexecute(second)).isInstanceOf(EntrepotException.class)
                .hasMessageContaining("left nothing to build again");
    }

    @Test
    void aFailedBlockingCheckSkipsTheAssetsReadingIt() {
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/a").asset("raw/other")
                .asset("stg/b", "raw/a").asset("stg/c", "raw/other")
                .check("raw/a", new CheckSpec("row_count", CheckSpec.Kind.ROW_COUNT, true, Map.of("min", 1)))
                .check("raw/other", new CheckSpec("freshness", CheckSpec.Kind.FRESHNESS, false, Map.of()))
                .checks((asset, check, runStore, runId) -> new CheckOutcome(check.name(), false, check.blocking(),
                        "0 rows, expected at least 1"));
        String runId = start(definitions).materialize("*", "manual");
        RunRecord run = orchestrator.await(runId, WAIT);

        assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
        assertThat(run.message()).contains("blocking checks failed: row_count on raw/a");
        assertThat(steps(runId)).containsEntry("stg/b", StepStatus.SKIPPED).containsEntry("stg/c", StepStatus.SUCCESS);
        assertThat(store.checkResults(new fr.zlv.entrepot.orchestrator.asset.AssetKey("raw/other"), 5))
                .singleElement().satisfies(result -> assertThat(result.passed()).isFalse());
    }

    @Test
    void cancellingStopsTheRunningStepAndCancelsTheRest() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/slow", context -> {
                    started.countDown();
                    Thread.sleep(60_000);
                })
                .asset("stg/after", "raw/slow");
        String runId = start(definitions).materialize("*", "manual");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        orchestrator.cancel(runId);
        RunRecord run = orchestrator.await(runId, WAIT);

        assertThat(run.status()).isEqualTo(RunStatus.CANCELED);
        assertThat(steps(runId)).containsEntry("raw/slow", StepStatus.CANCELED)
                .containsEntry("stg/after", StepStatus.CANCELED);
    }

    @Test
    void twoRunsOfTheSameJobNeverOverlap() {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/a", context -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(100);
                    inside.decrementAndGet();
                })
                .job("daily", "raw/a");
        start(definitions);
        String first = orchestrator.runJob("daily", "manual");
        String second = orchestrator.runJob("daily", "manual");
        assertThat(orchestrator.active("daily")).isTrue();
        RunRecord firstRun = orchestrator.await(first, WAIT);
        RunRecord secondRun = orchestrator.await(second, WAIT);

        assertThat(most).hasValue(1);
        assertThat(secondRun.startedAt()).isAfterOrEqualTo(firstRun.endedAt());
        assertThat(orchestrator.active("daily")).isFalse();
    }

    @Test
    void eventsTellTheRunsStoryInOrder() {
        TestDefinitions definitions = new TestDefinitions().asset("raw/a", context -> context.log("copied 3 rows"));
        String runId = start(definitions).materialize("raw/a", "manual");
        orchestrator.await(runId, WAIT);

        assertThat(eventTypes(runId)).containsExactly("RUN_QUEUED", "RUN_START", "STEP_START", "LOG",
                "ASSET_MATERIALIZATION", "STEP_SUCCESS", "RUN_END");
        List<Long> seqs = store.events(runId, 0).stream().map(RunEvent::seq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void unknownJobsAndSelectionsAreNamed() {
        start(new TestDefinitions().asset("marts/housing").job("daily", "*"));
        assertThatThrownBy(() -> orchestrator.runJob("dayly", "manual")).isInstanceOf(EntrepotException.class)
                .hasMessageContaining("No job is named 'dayly'")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("Did you mean daily?"));
        assertThatThrownBy(() -> orchestrator.materialize("marts/housin", "manual"))
                .isInstanceOf(EntrepotException.class).hasMessageContaining("No asset matches 'marts/housin'")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("marts/housing"));
    }

}
