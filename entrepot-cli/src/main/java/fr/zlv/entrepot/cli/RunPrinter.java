package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.orchestrator.run.RunListener;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints runs: their events live as they happen, then a summary of their steps; and as JSON. */
final class RunPrinter implements RunListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Set<String> QUIET_TYPES = Set.of("LOG", "ASSET_MATERIALIZATION");

    private final PrintStream out;
    private final boolean verbose;

    RunPrinter(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void onEvent(RunEvent event) {
        if (verbose || !QUIET_TYPES.contains(event.type())) {
            out.println(line(event));
        }
    }

    static String line(RunEvent event) {
        String level = event.level() == RunEvent.Level.INFO ? "" : event.level().name() + " ";
        return TIME.format(event.time()) + "  " + level + event.message();
    }

    /** The run's status and a table of its steps. */
    static void summary(PrintStream out, RunStore store, RunRecord run) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("step", "status", "attempts", "seconds", "error"));
        for (StepRecord step : store.steps(run.runId())) {
            rows.add(List.of(step.step(), step.status().name().toLowerCase(Locale.ROOT), Integer.toString(step.attempts()),
                    step.startedAt() == null || step.endedAt() == null ? ""
                            : Output.decimal(Duration.between(step.startedAt(), step.endedAt()).toMillis() / 1000.0, 1),
                    step.error() == null ? "" : abbreviate(step.error(), 80)));
        }
        out.println();
        Output.table(out, rows, true);
        out.println();
        out.println("Run " + run.runId() + " of " + run.job() + ": " + status(run)
                + (run.message() == null ? "" : " (" + run.message() + ")") + duration(run));
        out.println("Logs: entrepot runs logs " + run.runId()
                + (run.status().name().equals("FAILURE") ? "   Re-run what failed: entrepot runs reexecute " + run.runId() : ""));
    }

    static String status(RunRecord run) {
        String status = run.status().name().toLowerCase(Locale.ROOT);
        return run.interrupted() ? "failed (interrupted)" : status.equals("failure") ? "failed" : status;
    }

    static String duration(RunRecord run) {
        if (run.startedAt() == null || run.endedAt() == null) {
            return "";
        }
        return " in " + Output.decimal(Duration.between(run.startedAt(), run.endedAt()).toMillis() / 1000.0, 2) + " s";
    }

    static Map<String, Object> json(RunStore store, RunRecord run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", run.runId());
        json.put("job", run.job());
        json.put("selection", run.selection());
        json.put("status", status(run));
        json.put("trigger", run.trigger());
        json.put("reexecution_of", run.reexecutionOf());
        json.put("created_at", run.createdAt());
        json.put("started_at", run.startedAt());
        json.put("ended_at", run.endedAt());
        json.put("message", run.message());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepRecord step : store.steps(run.runId())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", step.step());
            s.put("status", step.status().name().toLowerCase(Locale.ROOT));
            s.put("attempts", step.attempts());
            s.put("started_at", step.startedAt());
            s.put("ended_at", step.endedAt());
            s.put("error", step.error());
            steps.add(s);
        }
        json.put("steps", steps);
        return json;
    }

    private static String abbreviate(String text, int length) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= length ? oneLine : oneLine.substring(0, length - 1) + "…";
    }
}
