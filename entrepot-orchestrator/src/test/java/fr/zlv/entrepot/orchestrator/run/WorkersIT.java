package fr.zlv.entrepot.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import fr.zlv.entrepot.orchestrator.store.WorkItem;
import fr.zlv.entrepot.orchestrator.store.WorkStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes share a 300-step run through a PostgreSQL run store; one is killed in the middle. Each step
 * records its execution in a PostgreSQL table as it starts, so the test sees every execution, including one cut
 * short by the kill.
 */
class WorkersIT {

    private static PostgresServer server;
    private String schema;

    @TempDir
    Path directory;

    @BeforeAll
    static void findServer() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void threeWorkersShareARunAndTheStepsOfAKilledOneAreDoneElsewhereExactlyOnce() throws Exception {
        schema = "entrepot_workers_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = server.jdbcUrl("postgres") + "?user=" + server.adminUser();
        String storeUrl = base + "&currentSchema=" + schema;
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".executions (id BIGSERIAL PRIMARY KEY, step TEXT NOT NULL,"
                    + " worker TEXT NOT NULL)");
        }
        String executionsUrl = storeUrl;

        List<Process> workers = new ArrayList<>();
        try (RunStore store = RunStores.open(storeUrl)) {
            String runId = new WorkQueue(WorkerChild.definitions(executionsUrl, "queue"), store, Clock.systemUTC())
                    .enqueueSelection("*", "manual");
            for (String name : List.of("w1", "w2", "w3")) {
                workers.add(start(name, storeUrl, executionsUrl));
            }

            // Kill w1 while it holds a step, once the run is well under way.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (true) {
                assertThat(Instant.now()).as("w1 got to work").isBefore(deadline);
                List<WorkItem> items = store.workItems(runId);
                long done = items.stream().filter(item -> item.status() == WorkStatus.DONE).count();
                boolean w1Holds = items.stream().anyMatch(item -> item.status() == WorkStatus.RUNNING
                        && "w1".equals(item.worker()));
                if (done >= 60 && w1Holds) {
                    break;
                }
                Thread.sleep(5);
            }
            workers.get(0).destroyForcibly().waitFor();
            long executionsByW1 = executions().stream().filter(e -> e[1].equals("w1")).count();

            RunRecord run = awaitEnd(store, runId, Duration.ofSeconds(180));

            assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(run.owner()).isEqualTo(RunRecord.WORKERS);
            List<WorkItem> items = store.workItems(runId);
            assertThat(items).hasSize(WorkerChild.STEPS).allMatch(item -> item.status() == WorkStatus.DONE);
            assertThat(store.steps(runId)).hasSize(WorkerChild.STEPS)
                    .allMatch(step -> step.status() == StepStatus.SUCCESS);
            // Completed exactly once: each asset has one materialization of this run.
            for (int i = 0; i < WorkerChild.STEPS; i++) {
                AssetKey key = new AssetKey(WorkerChild.key(i));
                assertThat(store.materializations(key, 10)).extracting(MaterializationRecord::runId)
                        .as("materializations of %s", key).containsExactly(runId);
            }
            // The three workers shared the run.
            assertThat(executions()).extracting(e -> e[1]).contains("w1", "w2", "w3");
            // Executed at least once each; a step started twice was one w1 held when killed (at most its 2 threads),
            // and the second execution, on another worker, is the one that counted.
            Map<String, List<String>> byStep = new HashMap<>();
            executions().forEach(e -> byStep.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]));
            assertThat(byStep).hasSize(WorkerChild.STEPS);
            Map<String, WorkItem> itemByStep = new HashMap<>();
            items.forEach(item -> itemByStep.put(item.step(), item));
            List<String> twice = byStep.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                    .toList();
            assertThat(twice).hasSizeLessThanOrEqualTo(2);
            for (String step : twice) {
                assertThat(byStep.get(step)).hasSize(2).contains("w1");
                assertThat(itemByStep.get(step).worker()).isNotEqualTo("w1");
                assertThat(itemByStep.get(step).attempt()).isEqualTo(2);
            }
            // The killed worker's steps went back to the queue, and w1 executed nothing after it was killed.
            assertThat(store.events(runId, 0)).extracting(RunEvent::type).contains("STEP_REQUEUED").last()
                    .isEqualTo("RUN_END");
            assertThat(executions().stream().filter(e -> e[1].equals("w1")).count()).isEqualTo(executionsByW1);
        } finally {
            workers.forEach(Process::destroyForcibly);
            for (Process worker : workers) {
                worker.waitFor();
            }
        }
    }

    private Process start(String name, String storeUrl, String executionsUrl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerChild.class.getName(),
                storeUrl, name, executionsUrl).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile()).start();
    }

    private List<String[]> executions() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT step, worker FROM " + schema + ".executions ORDER BY id")) {
            while (result.next()) {
                rows.add(new String[] {result.getString(1), result.getString(2)});
            }
        }
        return rows;
    }

    private static RunRecord awaitEnd(RunStore store, String runId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            RunRecord run = store.run(runId).orElseThrow();
            if (run.status().finished()) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end within " + timeout + ": "
                + store.steps(runId).stream().filter(step -> !step.status().finished()).map(StepRecord::step).toList());
    }
}
