package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;

/**
 * A worker process a test starts (and may kill). Arguments: the run store's URL, the worker's name, the URL of the
 * PostgreSQL table {@code executions} where each step records that it ran (step, worker, attempt).
 */
public final class WorkerChild {

    static final int STEPS = 300;
    static final int WIDTH = 10;

    private WorkerChild() {
    }

    /** After this many steps, the worker named {@value #HANGING_WORKER} hangs in its steps until it is killed. */
    static final int HANG_AFTER = 20;
    static final String HANGING_WORKER = "w1";

    /**
     * 300 steps in 30 layers of 10: step i waits for step i - 10. Each records its execution, then works 30 ms. The
     * worker {@value #HANGING_WORKER} hangs in every step after its first {@value #HANG_AFTER}, so that it surely holds
     * steps when the test kills it (a step that just ended would leave nothing to requeue).
     */
    static Definitions definitions(String executionsUrl, String worker) {
        TestDefinitions definitions = new TestDefinitions();
        java.util.concurrent.atomic.AtomicInteger executed = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < STEPS; i++) {
            String key = key(i);
            StepAction action = context -> {
                try (Connection connection = DriverManager.getConnection(executionsUrl);
                     PreparedStatement insert = connection.prepareStatement(
                             "INSERT INTO executions (step, worker) VALUES (?, ?)")) {
                    insert.setString(1, context.stepName());
                    insert.setString(2, worker);
                    insert.executeUpdate();
                }
                Thread.sleep(30);
                if (worker.equals(HANGING_WORKER) && executed.incrementAndGet() > HANG_AFTER) {
                    Thread.sleep(Duration.ofMinutes(10).toMillis());
                }
            };
            if (i < WIDTH) {
                definitions.asset(key, action);
            } else {
                definitions.asset(key, action, key(i - WIDTH));
            }
        }
        return definitions.build();
    }

    static String key(int i) {
        return String.format(java.util.Locale.ROOT, "s/%03d", i);
    }

    public static void main(String[] args) throws InterruptedException {
        RunStore store = RunStores.open(args[0]);
        Worker.Options options = new Worker.Options(args[1], 2, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofMillis(50), Clock.systemUTC());
        Worker worker = new Worker(definitions(args[2], args[1]), store, options);
        worker.start();
        System.out.println("worker " + args[1] + " started");
        worker.awaitStop();
    }
}
