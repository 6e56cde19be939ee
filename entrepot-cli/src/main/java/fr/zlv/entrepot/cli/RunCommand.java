package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.run.WorkQueue;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code entrepot run JOB} and {@code entrepot materialize -s SELECTION}: one run, now, watched live. */
final class RunCommand {

    private RunCommand() {
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a job of jobs.yml now and watch it: steps in dependency order, independent ones in"
                    + " parallel, retries, checks.", "Exit code 1 when the run fails."})
    static final class Job implements Runnable {

        @ParentCommand
        EntrepotCommand root;

        @Parameters(paramLabel = "JOB", description = "The job (see: entrepot jobs list, or warehouse/jobs.yml).")
        String job;

        @Option(names = "--json", description = "Print the run as JSON instead of following it.")
        boolean json;

        @Option(names = "--queue", description = "Queue the run for workers (entrepot worker) instead of running it here.")
        boolean queue;

        @Override
        public void run() {
            if (queue) {
                enqueue(root, json, workQueue -> workQueue.enqueueJob(job, "manual"));
            } else {
                execute(root, json, orchestrator -> orchestrator.runJob(job, "manual"));
            }
        }
    }

    @Command(name = "materialize", mixinStandardHelpOptions = true,
            description = {"Build a selection of assets now (dbt's selector language on asset keys).",
                    "Examples: -s 'marts/+'  -s '+marts/marts_production_campaigns'  -s 'group:production - production/events'"})
    static final class Materialize implements Runnable {

        @ParentCommand
        EntrepotCommand root;

        @Option(names = {"-s", "--select"}, required = true, paramLabel = "SELECTION",
                description = "The assets: keys, names, prefixes (marts/), globs, group:, tag:, kind:, +/@ operators, ' - ' to exclude.")
        String selection;

        @Option(names = "--json", description = "Print the run as JSON instead of following it.")
        boolean json;

        @Option(names = "--queue", description = "Queue the run for workers (entrepot worker) instead of running it here.")
        boolean queue;

        @Override
        public void run() {
            if (queue) {
                enqueue(root, json, workQueue -> workQueue.enqueueSelection(selection, "manual"));
            } else {
                execute(root, json, orchestrator -> orchestrator.materialize(selection, "manual"));
            }
        }
    }

    /** Queues the run for workers and says so; the workers run it (entrepot worker). */
    static void enqueue(EntrepotCommand root, boolean json, Function<WorkQueue, String> start) {
        try (Platform platform = Platform.open(root.settings())) {
            String runId = start.apply(new WorkQueue(platform.definitions, platform.store, Clock.systemUTC()));
            RunRecord run = platform.store.run(runId).orElseThrow();
            if (json) {
                Output.json(System.out, RunPrinter.json(platform.store, run));
            } else {
                System.out.println("Run " + runId + " of " + run.job() + " queued for workers ("
                        + platform.store.workItems(runId).size() + " step(s)).");
                System.out.println("Workers run it: entrepot worker; follow it with: entrepot runs logs " + runId);
            }
        }
    }

    /** Starts the run, follows it, prints the summary, and fails (exit 1) when the run did not succeed. */
    static void execute(EntrepotCommand root, boolean json, Function<Orchestrator, String> start) {
        try (Platform platform = Platform.open(root.settings());
             Orchestrator orchestrator = platform.orchestrator()) {
            if (!json) {
                orchestrator.addListener(new RunPrinter(System.out, root.verbosity > 0));
            }
            String runId = start.apply(orchestrator);
            RunRecord run = orchestrator.await(runId, Duration.ofDays(2));
            if (json) {
                Output.json(System.out, RunPrinter.json(platform.store, run));
            } else {
                RunPrinter.summary(System.out, platform.store, run);
            }
            if (run.status() != RunStatus.SUCCESS) {
                throw EntrepotException.failed("The run " + RunPrinter.status(run) + ".", "See its logs: entrepot runs logs "
                        + runId + ", then re-run what failed: entrepot runs reexecute " + runId, null);
            }
        }
    }
}
