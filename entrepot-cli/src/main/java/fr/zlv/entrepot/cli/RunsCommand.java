package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "The run history: list, show, logs, re-execute.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Logs.class,
                RunsCommand.Reexecute.class})
final class RunsCommand {

    @ParentCommand
    EntrepotCommand root;

    /** The run store alone: reading history needs no assets. */
    static RunStore store(LoadedSettings loaded) {
        return RunStores.open(loaded.settings().orchestrator().store());
    }

    static RunRecord find(RunStore store, String id) {
        RunRecord exact = store.run(id).orElse(null);
        if (exact != null) {
            return exact;
        }
        // A prefix of the id is enough, as long as one run has it.
        List<RunRecord> matching = store.runs(null, 10_000).stream().filter(run -> run.runId().startsWith(id)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        throw EntrepotException.badInput(matching.isEmpty() ? "No run has the id " + id + "."
                : "Several runs have ids starting with " + id + ".", "See the runs with: entrepot runs list");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The latest runs, newest first.")
    static final class ListRuns implements Runnable {
        @ParentCommand
        RunsCommand parent;

        @Option(names = "--job", description = "Only this job's runs.")
        String job;

        @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (RunStore store = store(parent.root.settings())) {
                List<RunRecord> runs = store.runs(job, limit);
                if (json) {
                    Output.json(System.out, runs.stream().map(run -> RunPrinter.json(store, run)).toList());
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("run", "job", "status", "trigger", "created", "seconds", "message"));
                for (RunRecord run : runs) {
                    rows.add(List.of(run.runId().substring(0, 8), run.job(), RunPrinter.status(run), run.trigger(),
                            run.createdAt().toString(), RunPrinter.duration(run).replace(" in ", "").replace(" s", ""),
                            run.message() == null ? "" : run.message()));
                }
                Output.table(System.out, rows, false);
                if (runs.isEmpty()) {
                    System.out.println("No run yet: start one with entrepot run JOB.");
                }
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run: its steps, their status and errors.")
    static final class Show implements Runnable {
        @ParentCommand
        RunsCommand parent;

        @Parameters(paramLabel = "RUN", description = "The run id (or its first characters).")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (RunStore store = store(parent.root.settings())) {
                RunRecord run = find(store, id);
                if (json) {
                    Output.json(System.out, RunPrinter.json(store, run));
                } else {
                    System.out.println("Run " + run.runId() + " of " + run.job() + " (" + run.trigger() + "), selection: "
                            + run.selection() + (run.reexecutionOf() == null ? "" : ", re-executes " + run.reexecutionOf()));
                    RunPrinter.summary(System.out, store, run);
                }
            }
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "A run's events and the log lines of its steps.")
    static final class Logs implements Runnable {
        @ParentCommand
        RunsCommand parent;

        @Parameters(paramLabel = "RUN", description = "The run id (or its first characters).")
        String id;

        @Option(names = "--step", description = "Only this step's lines.")
        String step;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the run ends.")
        boolean follow;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (RunStore store = store(parent.root.settings())) {
                RunRecord run = find(store, id);
                long last = 0;
                List<RunEvent> all = new ArrayList<>();
                while (true) {
                    List<RunEvent> events = store.events(run.runId(), last);
                    for (RunEvent event : events) {
                        last = event.seq();
                        if (step == null || step.equals(event.step())) {
                            if (json) {
                                all.add(event);
                            } else {
                                System.out.println(RunPrinter.line(event) + (event.step() == null ? "" : "  [" + event.step() + "]"));
                            }
                        }
                    }
                    if (!follow || store.run(run.runId()).orElseThrow().status().finished()) {
                        break;
                    }
                    sleep();
                }
                if (json) {
                    Output.json(System.out, all.stream().map(e -> Map.of("seq", e.seq(), "time", e.time().toString(),
                            "step", e.step() == null ? "" : e.step(), "level", e.level().name(), "type", e.type(),
                            "message", e.message())).toList());
                }
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "reexecute", mixinStandardHelpOptions = true,
            description = "Run again what a finished run did not build: its failed, skipped and cancelled steps.")
    static final class Reexecute implements Runnable {
        @ParentCommand
        RunsCommand parent;

        @Parameters(paramLabel = "RUN", description = "The run id (or its first characters).")
        String id;

        @Option(names = "--json", description = "Print the new run as JSON.")
        boolean json;

        @Override
        public void run() {
            String runId;
            try (RunStore store = store(parent.root.settings())) {
                runId = find(store, id).runId();
            }
            RunCommand.execute(parent.root, json, orchestrator -> orchestrator.reexecute(runId));
        }
    }
}
