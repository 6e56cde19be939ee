package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunEvent.Level;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.WorkItem;
import fr.zlv.entrepot.orchestrator.store.WorkStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code entrepot worker}: threads that claim steps of the runs queued in the store ({@link WorkQueue}), run
 * them with the steps' own actions, and end them in the store. While it holds steps, the worker beats; a worker
 * silent for {@code staleAfter} (killed, frozen, cut off) loses its steps, which any worker puts back in the queue
 * for another to take. A step counts once: only the worker still holding its claim may end it, and its
 * materializations and check results are recorded in that same transaction, so the results of a worker that lost
 * its claim are dropped. The worker that ends a run's last step ends the run.
 *
 * <p>Cancellation of a queued run is not offered yet. Steps that write the warehouse take turns within a worker;
 * workers on other machines must not share a DuckDB file (see docs-workers.md).
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /** How a worker runs: its name in the store, threads, how often it beats and polls, when a peer counts as dead. */
    public record Options(String id, int threads, Duration heartbeat, Duration staleAfter, Duration poll, Clock clock) {

        public Options {
            if (threads < 1) {
                throw EntrepotException.badInput("A worker needs at least one thread, not " + threads + ".",
                        "Give --threads 1 or more.");
            }
            if (staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("staleAfter (" + staleAfter + ") must be at least two heartbeats ("
                        + heartbeat + ")");
            }
        }

        /** 2 threads, a beat every 5 s, silent for 30 s means dead, a look at the queue every second. */
        public static Options defaults(String id) {
            return new Options(id, 2, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1),
                    Clock.systemUTC());
        }

        public Options withThreads(int newThreads) {
            return new Options(id, newThreads, heartbeat, staleAfter, poll, clock);
        }
    }

    private final Definitions definitions;
    private final RunStore store;
    private final Options options;
    private final ScheduledExecutorService timer;
    private final List<Thread> threads = new ArrayList<>();
    private final Semaphore writerLock = new Semaphore(1, true);
    private final Random random = new Random();
    /** The plan of each run this worker has seen, so a run's selection is resolved once. */
    private final Map<String, RunPlan> plans = new ConcurrentHashMap<>();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile boolean stopping;

    public Worker(Definitions definitions, RunStore store, Options options) {
        this.definitions = definitions;
        this.store = store;
        this.options = options;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "entrepot-worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the heartbeat and the threads that claim steps. */
    public synchronized void start() {
        long period = options.heartbeat().toMillis();
        timer.scheduleAtFixedRate(this::beat, 0, period, TimeUnit.MILLISECONDS);
        for (int i = 1; i <= options.threads(); i++) {
            Thread thread = new Thread(this::loop, "entrepot-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.info("Worker {} started with {} thread(s) on the run store {}", options.id(), options.threads(),
                store.location());
    }

    /** The steps this worker ended and whose end counted. */
    public int completed() {
        return completed.get();
    }

    /** Beats for the steps held, and gives back to the queue the steps of workers gone silent. */
    private void beat() {
        Instant now = options.clock().instant();
        try {
            store.beat(options.id(), now);
            for (WorkItem item : store.requeueStale(now.minus(options.staleAfter()))) {
                LOG.warn("Step {} of run {} given back to the queue: {}", item.step(), item.runId(), item.error());
                store.appendEvents(List.of(new RunEvent(item.runId(), 0, now, item.step(), Level.WARN, "STEP_REQUEUED",
                        "Step " + item.step() + " goes back to the queue: " + item.error() + " (seen by worker "
                                + options.id() + ")")));
            }
        } catch (RuntimeException e) {
            LOG.error("Worker {} could not beat in the run store: {}", options.id(), e.getMessage());
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                Optional<WorkItem> claim = store.claimStep(options.id(), options.clock().instant());
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    Thread.sleep(options.poll().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Worker {}: {}", options.id(), e.getMessage(), e);
                try {
                    Thread.sleep(options.poll().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void run(WorkItem claim) throws InterruptedException {
        RunPlan.PlannedStep step = plan(claim.runId()).step(claim.step());
        if (step == null) {
            end(claim, WorkStatus.FAILED, "worker " + options.id() + " does not know step " + claim.step()
                    + " (its definitions differ from the ones that queued the run)", null);
            return;
        }
        boolean locked = false;
        org.slf4j.MDC.put(Orchestrator.MDC_RUN, claim.runId());
        org.slf4j.MDC.put(Orchestrator.MDC_STEP, claim.step());
        try {
            if (step.spec().writesWarehouse()) {
                writerLock.acquire();
                locked = true;
            }
            attempt(claim, step);
        } finally {
            org.slf4j.MDC.remove(Orchestrator.MDC_RUN);
            org.slf4j.MDC.remove(Orchestrator.MDC_STEP);
            if (locked) {
                writerLock.release();
            }
        }
    }

    /** Runs the step, retried as its policy says, then its checks, and ends it. */
    private void attempt(WorkItem claim, RunPlan.PlannedStep step) throws InterruptedException {
        StepSpec spec = step.spec();
        Instant started = options.clock().instant();
        event(claim, Level.INFO, "STEP_START", "Step " + spec.name() + " started on worker " + options.id()
                + (claim.attempt() > 1 ? " (claim " + claim.attempt() + ")" : ""));
        int maxAttempts = spec.retry().maxAttempts();
        Throwable failure = null;
        Context context = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            context = new Context(claim, step, attempt, started);
            failure = null;
            try {
                spec.action().run(context);
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) {
                failure = e;
            }
            if (failure == null || attempt == maxAttempts) {
                break;
            }
            Duration delay = spec.retry().delayBefore(attempt + 1, random);
            event(claim, Level.WARN, "STEP_RETRY", "Step " + spec.name() + " failed (attempt " + attempt + " of "
                    + maxAttempts + "): " + RunExecution.describe(failure) + "; retrying in "
                    + RunExecution.human(delay));
            Thread.sleep(delay.toMillis());
        }
        if (failure != null) {
            end(claim, WorkStatus.FAILED, RunExecution.describe(failure), context);
            return;
        }
        for (AssetKey key : step.selected()) {
            if (!context.reported.contains(key)) {
                context.materialized(key, Materialization.UNKNOWN);
            }
        }
        List<String> blocking = new ArrayList<>();
        for (AssetKey key : step.selected()) {
            AssetSpec asset = definitions.graph().spec(key);
            for (CheckSpec check : asset.checks()) {
                if (check.kind() != CheckSpec.Kind.DBT_TEST) {
                    CheckOutcome outcome;
                    try {
                        outcome = definitions.checks().evaluate(asset, check, store, claim.runId());
                    } catch (RuntimeException e) {
                        outcome = new CheckOutcome(check.name(), false, check.blocking(),
                                "could not run: " + RunExecution.describe(e));
                    }
                    context.checked(key, outcome);
                }
            }
        }
        context.checks.stream().filter(check -> !check.passed() && check.blocking())
                .forEach(check -> blocking.add(check.check() + " on " + check.key()));
        // Unlike an in-process run, a blocking check that fails fails its step, so every step after it is skipped.
        end(claim, blocking.isEmpty() ? WorkStatus.DONE : WorkStatus.FAILED,
                blocking.isEmpty() ? null : "blocking checks failed: " + String.join(", ", blocking), context);
    }

    /** Ends the step in the store if the claim still holds, then the run if that was its last step. */
    private void end(WorkItem claim, WorkStatus status, String error, Context context) {
        Instant now = options.clock().instant();
        List<MaterializationRecord> materializations = context == null ? List.of() : context.materializations;
        List<CheckResultRecord> checks = context == null ? List.of() : context.checks;
        if (!store.completeStep(claim, status, error, status == WorkStatus.DONE ? materializations : List.of(),
                checks, now)) {
            event(claim, Level.WARN, "STEP_RESULT_DROPPED", "Worker " + options.id() + " lost step " + claim.step()
                    + " (it went back to the queue while it ran): its result is dropped");
            return;
        }
        completed.incrementAndGet();
        if (status == WorkStatus.DONE) {
            event(claim, Level.INFO, "STEP_SUCCESS", "Step " + claim.step() + " succeeded on worker " + options.id());
        } else {
            event(claim, Level.ERROR, "STEP_FAILURE", "Step " + claim.step() + " failed on worker " + options.id()
                    + ": " + error);
        }
        store.finishQueuedRun(claim.runId(), now).ifPresent(run -> {
            plans.remove(run.runId());
            store.appendEvents(List.of(new RunEvent(run.runId(), 0, now, null, run.status() == fr.zlv.entrepot
                    .orchestrator.store.RunStatus.SUCCESS ? Level.INFO : Level.ERROR, "RUN_END", "Run "
                    + run.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (run.message() == null ? "" : ": " + run.message()) + " (ended by worker " + options.id() + ")")));
            LOG.info("Run {} ended: {}", run.runId(), run.status());
        });
    }

    private RunPlan plan(String runId) {
        return plans.computeIfAbsent(runId, id -> {
            RunRecord run = store.run(id).orElseThrow(() -> new IllegalStateException("no run " + id + " in "
                    + store.location()));
            Set<AssetKey> selection = AssetSelection.select(definitions.graph(), run.selection());
            return RunPlan.of(definitions, selection);
        });
    }

    private void event(WorkItem claim, Level level, String type, String message) {
        store.appendEvents(List.of(new RunEvent(claim.runId(), 0, options.clock().instant(), claim.step(), level,
                type, message)));
    }

    /** Stops claiming, lets the steps in hand end, and stops beating. */
    @Override
    public void close() {
        stopping = true;
        List<Thread> running;
        synchronized (this) {
            running = List.copyOf(threads);
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
    }

    /** Blocks until the worker's threads end (after {@link #close()} from another thread, e.g. a shutdown hook). */
    public void awaitStop() throws InterruptedException {
        List<Thread> running;
        synchronized (this) {
            running = List.copyOf(threads);
        }
        for (Thread thread : running) {
            thread.join();
        }
    }

    /** What a step sees: its materializations and check results are kept until the step ends. */
    private final class Context implements StepContext {

        private final WorkItem claim;
        private final RunPlan.PlannedStep step;
        private final int attempt;
        private final Instant started;
        private final Set<AssetKey> reported = ConcurrentHashMap.newKeySet();
        private final List<MaterializationRecord> materializations = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<CheckResultRecord> checks = new java.util.concurrent.CopyOnWriteArrayList<>();

        Context(WorkItem claim, RunPlan.PlannedStep step, int attempt, Instant started) {
            this.claim = claim;
            this.step = step;
            this.attempt = attempt;
            this.started = started;
        }

        @Override
        public String runId() {
            return claim.runId();
        }

        @Override
        public String stepName() {
            return claim.step();
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public Set<AssetKey> selected() {
            return step.selected();
        }

        @Override
        public void log(String message) {
            event(claim, Level.INFO, "LOG", message);
        }

        @Override
        public void warn(String message) {
            event(claim, Level.WARN, "LOG", message);
        }

        @Override
        public void materialized(AssetKey key, Materialization materialization) {
            if (!step.selected().contains(key)) {
                throw new IllegalArgumentException("step " + claim.step() + " did not select " + key);
            }
            reported.add(key);
            Instant now = options.clock().instant();
            materializations.add(new MaterializationRecord(key, claim.runId(), claim.step(), now,
                    materialization.rows(), Duration.between(started, now).toMillis(), materialization.schemaHash(),
                    materialization.metadata()));
        }

        @Override
        public void checked(AssetKey key, CheckOutcome outcome) {
            checks.add(new CheckResultRecord(key, outcome.check(), claim.runId(), options.clock().instant(),
                    outcome.passed(), outcome.blocking(), outcome.message()));
        }

        @Override
        public boolean cancelled() {
            return stopping;
        }
    }
}
