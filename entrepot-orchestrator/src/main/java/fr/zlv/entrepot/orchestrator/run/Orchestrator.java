package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.schedule.JobLauncher;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunEvent.Level;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs jobs and selections of assets in this process: a queue of runs (never two runs of the same job at once, at
 * most {@code maxConcurrentRuns} together), a pool of threads for their steps, one writer to the warehouse at a
 * time, retries, cancellation, re-execution from failure, and the run store kept up to date. Runs left
 * {@code STARTED} by a process that died are found and closed as interrupted ({@link #recoverInterrupted()}).
 */
public final class Orchestrator implements JobLauncher, AutoCloseable {

    /** The MDC keys a step's thread carries while it runs: a logging backend can route its lines to the run. */
    public static final String MDC_RUN = "entrepot.run";
    public static final String MDC_STEP = "entrepot.step";

    /** The job name of ad-hoc materializations ({@code entrepot materialize}). */
    public static final String AD_HOC_JOB = "__materialize__";

    /** How the orchestrator runs: threads for steps, runs at once, heartbeat period, clock, this process's name. */
    public record Options(int threads, int maxConcurrentRuns, Duration heartbeat, Clock clock, String owner) {

        public static Options defaults() {
            return new Options(Math.max(2, Runtime.getRuntime().availableProcessors()), 2, Duration.ofSeconds(10),
                    Clock.systemUTC(), currentProcess());
        }

        public Options withThreads(int newThreads) {
            return new Options(newThreads, maxConcurrentRuns, heartbeat, clock, owner);
        }

        public Options withMaxConcurrentRuns(int runs) {
            return new Options(threads, runs, heartbeat, clock, owner);
        }

        public Options withHeartbeat(Duration period) {
            return new Options(threads, maxConcurrentRuns, period, clock, owner);
        }
    }

    /** What a run's execution needs from the orchestrator. */
    interface Engine {
        Definitions definitions();

        RunStore store();

        StoreWriter writer();

        ExecutorService pool();

        ScheduledExecutorService timer();

        Semaphore writerLock();

        Clock clock();

        Random random();

        void emit(RunEvent event);

        void ended(RunExecution execution);
    }

    private final Definitions definitions;
    private final RunStore store;
    private final Options options;
    private final StoreWriter writer;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Semaphore writerLock = new Semaphore(1, true);
    private final Random random = new Random();
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final Deque<RunExecution> queued = new ArrayDeque<>();
    private final Map<String, RunExecution> active = new LinkedHashMap<>();
    private final Map<String, RunExecution> known = new java.util.concurrent.ConcurrentHashMap<>();
    private final Engine engine = new Engine() {
        @Override
        public Definitions definitions() {
            return definitions;
        }

        @Override
        public RunStore store() {
            return store;
        }

        @Override
        public StoreWriter writer() {
            return writer;
        }

        @Override
        public ExecutorService pool() {
            return pool;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public Semaphore writerLock() {
            return writerLock;
        }

        @Override
        public Clock clock() {
            return options.clock();
        }

        @Override
        public Random random() {
            return random;
        }

        @Override
        public void emit(RunEvent event) {
            writer.event(event);
            for (RunListener listener : listeners) {
                listener.onEvent(event);
            }
        }

        @Override
        public void ended(RunExecution execution) {
            // Not under the execution's lock: the queue's lock is taken first elsewhere.
            timer.execute(() -> runEnded(execution));
        }
    };

    public Orchestrator(Definitions definitions, RunStore store, Options options) {
        this.definitions = definitions;
        this.store = store;
        this.options = options;
        this.writer = new StoreWriter(store);
        this.pool = Executors.newFixedThreadPool(options.threads(), named("entrepot-step"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("entrepot-timer"));
        long period = options.heartbeat().toMillis();
        timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    public Definitions definitions() {
        return definitions;
    }

    public RunStore store() {
        return store;
    }

    public void addListener(RunListener listener) {
        listeners.add(listener);
    }

    /** Queues a run of the job; returns its id. */
    public String runJob(String jobName, String trigger) {
        JobSpec job = definitions.job(jobName);
        return submit(job.name(), job.selection(), AssetSelection.select(definitions.graph(), job.selection()),
                trigger, null);
    }

    /** Queues a run materializing the selection (dbt's selector language on asset keys). */
    public String materialize(String selection, String trigger) {
        return submit(AD_HOC_JOB, selection, AssetSelection.select(definitions.graph(), selection), trigger, null);
    }

    /**
     * Queues a run of what a finished run did not build: its failed, skipped and cancelled steps, and of a failed
     * multi-asset step only the assets it did not materialize.
     */
    public String reexecute(String runId) {
        RunRecord parent = store.run(runId).orElseThrow(() -> EntrepotException.badInput("No run has the id " + runId
                + ".", "See the runs with: entrepot runs list"));
        if (!parent.status().finished()) {
            throw EntrepotException.badInput("Run " + runId + " is still " + parent.status().name().toLowerCase(
                    java.util.Locale.ROOT) + ".", "Wait for it to end, or cancel it.");
        }
        Set<AssetKey> parentSelection = parseSelection(parent);
        RunPlan parentPlan = RunPlan.of(definitions, parentSelection);
        Set<AssetKey> toBuild = new LinkedHashSet<>();
        for (StepRecord step : store.steps(runId)) {
            RunPlan.PlannedStep planned = parentPlan.step(step.step());
            if (step.status() != StepStatus.SUCCESS && planned != null) {
                for (AssetKey key : planned.selected()) {
                    if (!materializedIn(key, runId)) {
                        toBuild.add(key);
                    }
                }
            }
        }
        if (toBuild.isEmpty()) {
            throw EntrepotException.badInput("Run " + runId + " left nothing to build again (" + parent.status().name()
                    .toLowerCase(java.util.Locale.ROOT) + ").", "Start a new run instead: entrepot run " + parent.job());
        }
        String selection = toBuild.stream().map(key -> "key:" + key.path()).collect(Collectors.joining(" "));
        return submit(parent.job(), selection, toBuild, "reexecution", runId);
    }

    private Set<AssetKey> parseSelection(RunRecord run) {
        try {
            return AssetSelection.select(definitions.graph(), run.selection());
        } catch (EntrepotException e) {
            throw EntrepotException.badInput("Run " + run.runId() + " selected '" + run.selection()
                    + "', which no longer matches the assets: " + e.getMessage(), "Start a new run instead.");
        }
    }

    private boolean materializedIn(AssetKey key, String runId) {
        return store.materializations(key, 50).stream().map(MaterializationRecord::runId).anyMatch(runId::equals);
    }

    private String submit(String job, String selectionText, Set<AssetKey> selection, String trigger, String parentId) {
        RunPlan plan = RunPlan.of(definitions, selection);
        Instant now = options.clock().instant();
        RunRecord run = new RunRecord(UUID.randomUUID().toString(), job, selectionText, RunStatus.QUEUED, trigger,
                parentId, now, null, null, null, options.owner(), now);
        store.createRun(run);
        RunExecution execution = new RunExecution(engine, run, plan);
        known.put(run.runId(), execution);
        synchronized (this) {
            queued.add(execution);
        }
        engine.emit(new RunEvent(run.runId(), 0, now, null, Level.INFO, "RUN_QUEUED", "Run of " + job + " queued ("
                + trigger + "): " + selection.size() + " asset(s) in " + plan.steps().size() + " step(s)"));
        dispatch();
        return run.runId();
    }

    /** Starts the queued runs that may start: their job not running, and room for one more run. */
    private void dispatch() {
        List<RunExecution> starting = new ArrayList<>();
        synchronized (this) {
            Set<String> busyJobs = active.values().stream().map(e -> e.record().job()).collect(Collectors.toSet());
            for (var iterator = queued.iterator(); iterator.hasNext() && active.size() < options.maxConcurrentRuns(); ) {
                RunExecution candidate = iterator.next();
                String job = candidate.record().job();
                if (job.equals(AD_HOC_JOB) || busyJobs.add(job)) {
                    iterator.remove();
                    active.put(candidate.runId(), candidate);
                    starting.add(candidate);
                }
            }
        }
        starting.forEach(RunExecution::start);
    }

    private void runEnded(RunExecution execution) {
        synchronized (this) {
            active.remove(execution.runId());
        }
        known.remove(execution.runId());
        writer.flush();
        execution.released().complete(execution.done().join());
        dispatch();
    }

    /**
     * Stores a line a step's code logged (through SLF4J, found by the MDC keys) with the run's events, as
     * {@code StepContext.log} does. Lines of runs this process does not run are ignored.
     */
    public void log(String runId, String step, Level level, String message) {
        if (known.containsKey(runId)) {
            engine.emit(new RunEvent(runId, 0, options.clock().instant(), step, level, "LOG", message));
        }
    }

    /** Cancels a queued or running run of this process. */
    public void cancel(String runId) {
        RunExecution execution = known.get(runId);
        if (execution == null) {
            throw EntrepotException.badInput("Run " + runId + " is not running in this process.",
                    "See the runs with: entrepot runs list");
        }
        boolean wasQueued;
        synchronized (this) {
            wasQueued = queued.remove(execution);
            if (wasQueued) {
                active.put(runId, execution);
            }
        }
        if (wasQueued) {
            execution.start();
        }
        execution.cancel();
    }

    /**
     * Waits for the run to end and returns it as stored: everything it wrote is in the store, and its job is free
     * for the next run.
     */
    public RunRecord await(String runId, Duration timeout) {
        RunExecution execution = known.get(runId);
        if (execution != null) {
            try {
                execution.released().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw EntrepotException.failed("Interrupted while waiting for run " + runId + ".", null, e);
            } catch (ExecutionException e) {
                throw EntrepotException.failed("Run " + runId + " broke: " + e.getCause(), null, e.getCause());
            } catch (TimeoutException e) {
                throw EntrepotException.failed("Run " + runId + " did not end within " + timeout + ".", null, e);
            }
        }
        writer.flush();
        return store.run(runId).orElseThrow(() -> EntrepotException.badInput("No run has the id " + runId + ".", null));
    }

    @Override
    public String launch(String job, String trigger) {
        return runJob(job, trigger);
    }

    @Override
    public synchronized boolean active(String job) {
        return active.values().stream().anyMatch(e -> e.record().job().equals(job))
                || queued.stream().anyMatch(e -> e.record().job().equals(job));
    }

    /**
     * Closes, as failed (interrupted), the runs the store says are queued or running but whose process is gone: on
     * this machine, a process id no longer alive; anywhere, no heartbeat for three periods. Their running steps
     * fail and their waiting steps are skipped, so a re-execution picks them up.
     */
    public List<RunRecord> recoverInterrupted() {
        List<RunRecord> recovered = new ArrayList<>();
        Instant now = options.clock().instant();
        for (RunRecord run : store.runsWithStatus(Set.of(RunStatus.QUEUED, RunStatus.STARTED))) {
            // A run queued for workers belongs to no process: its steps of a dead worker go back to the queue.
            if (known.containsKey(run.runId()) || RunRecord.WORKERS.equals(run.owner()) || ownerAlive(run, now)) {
                continue;
            }
            String message = RunRecord.INTERRUPTED + ": its process (" + run.owner() + ") stopped while it ran";
            for (StepRecord step : store.steps(run.runId())) {
                if (!step.status().finished()) {
                    boolean wasRunning = step.status() == StepStatus.RUNNING;
                    store.saveStep(new StepRecord(run.runId(), step.step(), wasRunning ? StepStatus.FAILURE
                            : StepStatus.SKIPPED, step.attempts(), step.startedAt(), now, wasRunning ? message
                            : "the run was interrupted before this step started"));
                }
            }
            RunRecord closed = run.withStatus(RunStatus.FAILURE, now, message);
            store.updateRun(closed);
            store.appendEvents(List.of(new RunEvent(run.runId(), 0, now, null, Level.ERROR, "RUN_INTERRUPTED",
                    "Run " + message + "; found by " + options.owner())));
            recovered.add(closed);
        }
        return recovered;
    }

    /**
     * On this machine a run's process is alive when its process id is (this process: when the run still beats, as
     * another orchestrator of this process may own it); elsewhere, when its heartbeat is recent.
     */
    private boolean ownerAlive(RunRecord run, Instant now) {
        boolean heartbeatFresh = run.heartbeatAt() != null
                && Duration.between(run.heartbeatAt(), now).compareTo(options.heartbeat().multipliedBy(3)) < 0;
        String owner = run.owner() == null ? "" : run.owner();
        int at = owner.indexOf('@');
        if (at > 0 && owner.substring(at + 1).equals(hostName())) {
            try {
                long pid = Long.parseLong(owner.substring(0, at));
                if (pid == ProcessHandle.current().pid()) {
                    return heartbeatFresh;
                }
                return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                return heartbeatFresh;
            }
        }
        return heartbeatFresh;
    }

    private void heartbeat() {
        List<RunExecution> alive;
        synchronized (this) {
            alive = new ArrayList<>(active.values());
            alive.addAll(queued);
        }
        alive.forEach(RunExecution::heartbeat);
    }

    static String currentProcess() {
        return ProcessHandle.current().pid() + "@" + hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Cancels what still runs, waits for the steps to stop, and writes everything to the store. */
    @Override
    public void close() {
        List<RunExecution> running;
        synchronized (this) {
            running = new ArrayList<>(known.values());
        }
        running.forEach(execution -> {
            try {
                cancel(execution.runId());
            } catch (EntrepotException ignored) {
                // ended meanwhile
            }
        });
        for (RunExecution execution : running) {
            try {
                execution.done().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        timer.shutdown();
        pool.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }
}
