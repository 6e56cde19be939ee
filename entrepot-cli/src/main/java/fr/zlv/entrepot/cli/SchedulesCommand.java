package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.run.WorkQueue;
import fr.zlv.entrepot.orchestrator.schedule.Daemon;
import fr.zlv.entrepot.orchestrator.schedule.JobLauncher;
import fr.zlv.entrepot.orchestrator.schedule.ScheduleView;
import fr.zlv.entrepot.orchestrator.schedule.Scheduler;
import fr.zlv.entrepot.orchestrator.schedule.TickDecision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code entrepot schedules list|on|off} and {@code entrepot daemon}. */
final class SchedulesCommand {

    private SchedulesCommand() {
    }

    /** Lists and switches schedules without running anything: a launcher that refuses. */
    private static final JobLauncher NO_LAUNCH = new JobLauncher() {
        @Override
        public String launch(String job, String trigger) {
            throw new IllegalStateException("schedules are only listed here");
        }

        @Override
        public boolean active(String job) {
            return false;
        }
    };

    @Command(name = "schedules", mixinStandardHelpOptions = true,
            description = "The schedules of jobs.yml: list them, switch them on or off (kept in the run store).",
            subcommands = {ListSchedules.class, On.class, Off.class})
    static final class Schedules {
        @ParentCommand
        EntrepotCommand root;
    }

    static Map<String, Object> json(ScheduleView view) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schedule", view.name());
        json.put("job", view.job());
        json.put("cron", view.cron());
        json.put("timezone", view.zone().getId());
        json.put("status", view.on() ? "running" : "stopped");
        json.put("overlap", view.overlap().name().toLowerCase(Locale.ROOT));
        json.put("last_tick", view.lastTick() == null ? null : view.lastTick().toString());
        json.put("last_run", view.lastRunId());
        json.put("next_tick", view.nextTick() == null ? null : view.nextTick().toString());
        return json;
    }

    static void print(List<ScheduleView> views, boolean asJson) {
        if (asJson) {
            Output.json(System.out, views.stream().map(SchedulesCommand::json).toList());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("schedule", "job", "cron", "timezone", "status", "next tick", "last tick", "last run"));
        for (ScheduleView view : views) {
            rows.add(List.of(view.name(), view.job(), view.cron(), view.zone().getId(), view.on() ? "running" : "stopped",
                    view.nextTick() == null ? "" : view.nextTick().toString(),
                    view.lastTick() == null ? "never" : view.lastTick().toString(),
                    view.lastRunId() == null ? "" : view.lastRunId().substring(0, 8)));
        }
        Output.table(System.out, rows, false);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Each schedule: job, cron, on/off, next tick.")
    static final class ListSchedules implements Runnable {
        @ParentCommand
        Schedules parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            try (Platform platform = Platform.open(parent.root.settings())) {
                print(new Scheduler(platform.definitions.schedules(), platform.store, NO_LAUNCH, Clock.systemUTC()).list(),
                        json);
            }
        }
    }

    /** Switches a schedule on or off in the run store, and prints it. */
    private static void turn(EntrepotCommand root, String name, boolean on, boolean json) {
        try (Platform platform = Platform.open(root.settings())) {
            Scheduler scheduler = new Scheduler(platform.definitions.schedules(), platform.store, NO_LAUNCH,
                    Clock.systemUTC());
            print(List.of(on ? scheduler.on(name) : scheduler.off(name)), json);
        }
    }

    @Command(name = "on", mixinStandardHelpOptions = true, description = "Switch a schedule on (the daemon runs it).")
    static final class On implements Runnable {
        @ParentCommand
        Schedules parent;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            turn(parent.root, name, true, json);
        }
    }

    @Command(name = "off", mixinStandardHelpOptions = true, description = "Switch a schedule off.")
    static final class Off implements Runnable {
        @ParentCommand
        Schedules parent;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            turn(parent.root, name, false, json);
        }
    }

    @Command(name = "daemon", mixinStandardHelpOptions = true,
            description = {"Run the schedules: launch each job when its cron tick comes (a tick missed while the daemon was"
                    + " down runs once), and run the runs; stop with Ctrl-C.",
                    "Runs left running by a stopped process are marked failed (interrupted) at start."})
    static final class DaemonCommand implements Runnable {
        @ParentCommand
        EntrepotCommand root;

        @Option(names = "--interval", defaultValue = "30", paramLabel = "SECONDS",
                description = "Longest wait between two looks at the schedules (default ${DEFAULT-VALUE}).")
        int interval;

        @Option(names = "--queue", description = "Queue the scheduled runs for workers (entrepot worker) instead of"
                + " running them here. Several daemons may share one run store: each tick fires once.")
        boolean queue;

        @Override
        public void run() {
            try (Platform platform = Platform.open(root.settings());
                 Orchestrator orchestrator = platform.orchestrator()) {
                orchestrator.addListener(new RunPrinter(System.out, root.verbosity > 0));
                JobLauncher launcher = queue ? new WorkQueue(platform.definitions, platform.store, Clock.systemUTC())
                        : orchestrator;
                Scheduler scheduler = new Scheduler(platform.definitions.schedules(), platform.store, launcher,
                        Clock.systemUTC());
                print(scheduler.list(), false);
                CountDownLatch stopped = new CountDownLatch(1);
                try (Daemon daemon = new Daemon(scheduler, Duration.ofSeconds(interval), new Daemon.Listener() {
                    @Override
                    public void decided(TickDecision decision) {
                        System.out.println(decision.describe());
                    }
                })) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        daemon.close();
                        stopped.countDown();
                    }));
                    daemon.start();
                    System.out.println("Daemon started; stop it with Ctrl-C.");
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
