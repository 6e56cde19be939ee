package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.run.Worker;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code entrepot worker}: runs the steps of runs queued for workers, until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run the steps of the runs queued for workers (entrepot run --queue, entrepot daemon --queue),"
                + " with other workers sharing the run store; stop with Ctrl-C.",
                "Workers on several machines need a PostgreSQL run store (ENTREPOT_STORE_URL). The steps of a worker"
                        + " silent for 30 s go back to the queue for another worker."})
final class WorkerCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @Option(names = "--id", paramLabel = "NAME",
            description = "This worker's name in the run store (default: process id and host).")
    String id;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Steps this worker runs at once (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--until-done", paramLabel = "RUN",
            description = "Stop once this run has ended (exit 0 if it succeeded, 1 if not), instead of running until"
                    + " Ctrl-C: for scripts and one-off catch-ups.")
    String untilDone;

    @Override
    public void run() {
        String name = id == null || id.isBlank() ? ProcessHandle.current().pid() + "@" + host() : id.strip();
        try (Platform platform = Platform.open(waitingForTheWarehouseFile(root.settings()))) {
            Worker worker = new Worker(platform.definitions, platform.store,
                    Worker.Options.defaults(name).withThreads(threads));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                worker.close();
                stopped.countDown();
            }));
            worker.start();
            if (untilDone != null) {
                RunRecord run = RunsCommand.find(platform.store, untilDone);
                System.out.println("Worker " + name + " started with " + threads + " thread(s) on "
                        + platform.store.location() + "; it stops when run " + run.runId() + " has ended.");
                RunRecord ended = awaitEnd(platform, run.runId());
                worker.close();
                System.out.println("Run " + ended.runId() + " ended: " + RunPrinter.status(ended) + " (" + worker.completed()
                        + " step(s) completed by this worker).");
                if (ended.status() != RunStatus.SUCCESS) {
                    throw EntrepotException.failed("The run " + ended.runId() + " " + RunPrinter.status(ended) + ": "
                            + ended.message(), "See its logs: entrepot runs logs " + ended.runId(), null);
                }
                return;
            }
            System.out.println("Worker " + name + " started with " + threads + " thread(s) on " + platform.store.location()
                    + "; stop it with Ctrl-C.");
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Workers sharing one DuckDB warehouse file take turns on it: a step waits (up to an hour, or the settings' longer
     * lock_wait_seconds) while another worker's step holds the file, instead of failing.
     */
    static fr.zlv.entrepot.core.settings.LoadedSettings waitingForTheWarehouseFile(
            fr.zlv.entrepot.core.settings.LoadedSettings loaded) {
        var warehouse = loaded.settings().warehouse();
        if (warehouse.isPostgres() || warehouse.lockWaitSeconds() >= 3600) {
            return loaded;
        }
        return loaded.withSettings(loaded.settings().withWarehouse(warehouse.withLockWaitSeconds(3600)));
    }

    /** Polls the store until the run has ended (the workers, this one or others, end it). */
    private static RunRecord awaitEnd(Platform platform, String runId) throws InterruptedException {
        while (true) {
            RunRecord run = platform.store.run(runId).orElseThrow();
            if (run.status().finished()) {
                return run;
            }
            Thread.sleep(200);
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
