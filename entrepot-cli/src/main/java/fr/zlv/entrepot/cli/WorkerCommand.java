package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.orchestrator.run.Worker;
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

    @Override
    public void run() {
        String name = id == null || id.isBlank() ? ProcessHandle.current().pid() + "@" + host() : id.strip();
        try (Platform platform = Platform.open(root.settings())) {
            Worker worker = new Worker(platform.definitions, platform.store,
                    Worker.Options.defaults(name).withThreads(threads));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                worker.close();
                stopped.countDown();
            }));
            worker.start();
            System.out.println("Worker " + name + " started with " + threads + " thread(s) on " + platform.store.location()
                    + "; stop it with Ctrl-C.");
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
