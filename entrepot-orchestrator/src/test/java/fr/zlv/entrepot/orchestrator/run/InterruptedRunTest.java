package fr.zlv.entrepot.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed in the middle of a run: the next orchestrator finds the run and closes it as interrupted. */
class InterruptedRunTest {

    @TempDir
    Path directory;

    @Test
    void aRunWhoseProcessWasKilledIsFoundInterruptedWithItsLogs() throws Exception {
        Path storeFile = directory.resolve("runs.sqlite");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                InterruptedRunChild.class.getName(), storeFile.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("child.log").toFile()).start();
        String runId;
        try (RunStore store = RunStores.open(storeFile.toString())) {
            runId = waitForRunningStep(store, child);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }

        try (RunStore store = RunStores.open(storeFile.toString());
             Orchestrator orchestrator = new Orchestrator(new TestDefinitions().asset("raw/done").build(), store,
                     Orchestrator.Options.defaults())) {
            List<RunRecord> recovered = orchestrator.recoverInterrupted();

            assertThat(recovered).extracting(RunRecord::runId).containsExactly(runId);
            RunRecord run = store.run(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
            assertThat(run.interrupted()).isTrue();
            assertThat(run.message()).startsWith("interrupted: its process (").contains(") stopped while it ran");
            Map<String, StepStatus> steps = store.steps(runId).stream()
                    .collect(Collectors.toMap(StepRecord::step, StepRecord::status));
            assertThat(steps).containsEntry("raw/done", StepStatus.SUCCESS).containsEntry("stg/endless", StepStatus.FAILURE)
                    .containsEntry("marts/after", StepStatus.SKIPPED);
            assertThat(store.events(runId, 0)).extracting(RunEvent::message)
                    .contains("first step done", "copying, this takes forever");
            assertThat(store.events(runId, 0)).extracting(RunEvent::type).endsWith("RUN_INTERRUPTED");
            // Found once: a second look changes nothing.
            assertThat(orchestrator.recoverInterrupted()).isEmpty();
        }
    }

    @Test
    void aRunOfALiveProcessIsLeftAlone() {
        try (RunStore store = RunStores.open(directory.resolve("runs.sqlite").toString());
             Orchestrator running = new Orchestrator(new TestDefinitions().asset("raw/slow", context ->
                     Thread.sleep(Long.MAX_VALUE)).build(), store, Orchestrator.Options.defaults());
             Orchestrator other = new Orchestrator(new TestDefinitions().asset("raw/slow").build(), store,
                     Orchestrator.Options.defaults())) {
            String runId = running.materialize("*", "manual");
            assertThat(other.recoverInterrupted()).isEmpty();
            assertThat(store.run(runId).orElseThrow().status()).isIn(RunStatus.QUEUED, RunStatus.STARTED);
            running.cancel(runId);
        }
    }

    /** Waits until the child's second step runs and its log line is stored; returns the run's id. */
    private static String waitForRunningStep(RunStore store, Process child) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            assertThat(child.isAlive()).as("the child process is running").isTrue();
            for (RunRecord run : store.runsWithStatus(Set.of(RunStatus.STARTED))) {
                boolean logged = store.events(run.runId(), 0).stream()
                        .anyMatch(event -> event.message().equals("copying, this takes forever"));
                boolean running = store.steps(run.runId()).stream()
                        .anyMatch(step -> step.step().equals("stg/endless") && step.status() == StepStatus.RUNNING);
                if (logged && running) {
                    return run.runId();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the child never got to its endless step");
    }
}
