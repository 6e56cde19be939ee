package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.run.RunPlan.PlannedStep;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunEvent.Level;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One run going: steps start as soon as the steps they wait for have succeeded (independent steps in parallel on
 * the orchestrator's pool, warehouse writers one at a time), a failed step is retried as its policy says, then
 * fails and its descendants are skipped (only them); a blocking check that fails skips the steps that read that
 * asset. Every change goes to the run store, in order, through the writer.
 */
final class RunExecution {

    private final Orchestrator.Engine engine;
    private final RunPlan plan;
    private final CompletableFuture<RunRecord> done = new CompletableFuture<>();
    /** Completed once the orchestrator has let the run go (its job is free again, everything is in the store). */
    private final CompletableFuture<RunRecord> released = new CompletableFuture<>();

    private RunRecord run;
    private final Map<String, StepRecord> steps = new LinkedHashMap<>();
    private final Map<String, Integer> waitingOn = new HashMap<>();
    private final Map<String, List<String>> dependents = new HashMap<>();
    /** Assets this run should have built but did not, or that failed a blocking check: their readers are skipped. */
    private final Set<AssetKey> unusable = new HashSet<>();
    private final Set<String> failedBlockingChecks = new HashSet<>();
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> retrying = new ConcurrentHashMap<>();
    private int unfinished;
    private volatile boolean cancelled;

    RunExecution(Orchestrator.Engine engine, RunRecord run, RunPlan plan) {
        this.engine = engine;
        this.run = run;
        this.plan = plan;
        for (PlannedStep step : plan.steps()) {
            waitingOn.put(step.spec().name(), step.needs().size());
            step.needs().keySet().forEach(parent -> dependents.computeIfAbsent(parent, k -> new ArrayList<>())
                    .add(step.spec().name()));
        }
        unfinished = waitingOn.size();
    }

    String runId() {
        return run.runId();
    }

    synchronized RunRecord record() {
        return run;
    }

    CompletableFuture<RunRecord> done() {
        return done;
    }

    CompletableFuture<RunRecord> released() {
        return released;
    }

    /** Marks the run started and launches the steps that wait for nothing. */
    synchronized void start() {
        Instant now = engine.clock().instant();
        run = run.withStatus(RunStatus.STARTED, now, null);
        RunRecord started = run;
        engine.writer().write(store -> store.updateRun(started));
        event(null, Level.INFO, "RUN_START", "Run of " + run.job() + " started: " + plan.steps().size() + " step(s)");
        for (PlannedStep step : plan.steps()) {
            save(new StepRecord(run.runId(), step.spec().name(), StepStatus.PENDING, 0, null, null, null));
        }
        if (plan.isEmpty()) {
            complete();
            return;
        }
        for (PlannedStep step : plan.steps()) {
            if (step.needs().isEmpty()) {
                dispatch(step, 1);
            }
        }
    }

    private void dispatch(PlannedStep step, int attempt) {
        engine.pool().execute(() -> execute(step, attempt));
    }

    private void execute(PlannedStep step, int attempt) {
        String name = step.spec().name();
        running.put(name, Thread.currentThread());
        boolean locked = false;
        // What the step's code logs on this thread is known to belong to it (see Orchestrator.log).
        org.slf4j.MDC.put(Orchestrator.MDC_RUN, run.runId());
        org.slf4j.MDC.put(Orchestrator.MDC_STEP, name);
        try {
            if (step.spec().writesWarehouse()) {
                engine.writerLock().acquire();
                locked = true;
            }
            if (cancelled) {
                finish(step, StepStatus.CANCELED, attempt - 1, null, "the run was cancelled");
                return;
            }
            attempt(step, attempt);
        } catch (InterruptedException e) {
            finish(step, StepStatus.CANCELED, attempt - 1, null, "the run was cancelled");
        } finally {
            org.slf4j.MDC.remove(Orchestrator.MDC_RUN);
            org.slf4j.MDC.remove(Orchestrator.MDC_STEP);
            running.remove(name);
            Thread.interrupted(); // a cancellation's interrupt must not leak into the pool's next task
            if (locked) {
                engine.writerLock().release();
            }
        }
    }

    private void attempt(PlannedStep step, int attempt) {
        StepSpec spec = step.spec();
        Instant started = engine.clock().instant();
        save(new StepRecord(run.runId(), spec.name(), StepStatus.RUNNING, attempt, started, null, null));
        int maxAttempts = spec.retry().maxAttempts();
        event(spec.name(), Level.INFO, "STEP_START", "Step " + spec.name() + " started"
                + (maxAttempts > 1 ? " (attempt " + attempt + " of " + maxAttempts + ")" : ""));
        Context context = new Context(step, attempt, started);
        Throwable failure = null;
        try {
            spec.action().run(context);
        } catch (Throwable e) {
            failure = e;
        }
        if (failure == null && !cancelled) {
            succeed(step, context, attempt, started);
        } else if (cancelled) {
            finish(step, StepStatus.CANCELED, attempt, started, "the run was cancelled");
        } else if (attempt < maxAttempts) {
            Duration delay = spec.retry().delayBefore(attempt + 1, engine.random());
            event(spec.name(), Level.WARN, "STEP_RETRY", "Step " + spec.name() + " failed (attempt " + attempt + " of "
                    + maxAttempts + "): " + describe(failure) + "; retrying in " + human(delay));
            save(new StepRecord(run.runId(), spec.name(), StepStatus.PENDING, attempt, started, null, describe(failure)));
            retrying.put(spec.name(), engine.timer().schedule(() -> {
                retrying.remove(spec.name());
                dispatch(step, attempt + 1);
            }, delay.toMillis(), TimeUnit.MILLISECONDS));
        } else {
            event(spec.name(), Level.ERROR, "STEP_FAILURE", "Step " + spec.name() + " failed"
                    + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": " + describe(failure));
            finish(step, StepStatus.FAILURE, attempt, started, describe(failure));
        }
    }

    /** Records the assets the step built without saying so, runs the asset checks, and lets the readers go. */
    private void succeed(PlannedStep step, Context context, int attempt, Instant started) {
        for (AssetKey key : step.selected()) {
            if (!context.reported.contains(key)) {
                context.materialized(key, Materialization.UNKNOWN);
            }
        }
        for (AssetKey key : step.selected()) {
            AssetSpec asset = engine.definitions().graph().spec(key);
            for (CheckSpec check : asset.checks()) {
                if (check.kind() != CheckSpec.Kind.DBT_TEST) {
                    CheckOutcome outcome;
                    try {
                        outcome = engine.definitions().checks().evaluate(asset, check, engine.store(), run.runId());
                    } catch (RuntimeException e) {
                        outcome = new CheckOutcome(check.name(), false, check.blocking(), "could not run: " + describe(e));
                    }
                    checked(key, outcome);
                }
            }
        }
        event(step.spec().name(), Level.INFO, "STEP_SUCCESS", "Step " + step.spec().name() + " succeeded in "
                + human(Duration.between(started, engine.clock().instant())));
        finish(step, StepStatus.SUCCESS, attempt, started, null);
    }

    private void checked(AssetKey key, CheckOutcome outcome) {
        CheckResultRecord result = new CheckResultRecord(key, outcome.check(), run.runId(), engine.clock().instant(),
                outcome.passed(), outcome.blocking(), outcome.message());
        engine.writer().write(store -> store.recordCheck(result));
        event(engine.definitions().stepOf(key).name(), outcome.passed() ? Level.INFO : outcome.blocking() ? Level.ERROR
                : Level.WARN, "CHECK", "Check " + outcome.check() + " on " + key + ": "
                + (outcome.passed() ? "passed" : outcome.blocking() ? "FAILED (blocking)" : "failed (warning)")
                + (outcome.message() == null || outcome.message().isEmpty() ? "" : ", " + outcome.message()));
        if (!outcome.passed() && outcome.blocking()) {
            synchronized (this) {
                unusable.add(key);
                failedBlockingChecks.add(outcome.check() + " on " + key);
            }
        }
    }

    private synchronized void finish(PlannedStep step, StepStatus status, int attempts, Instant started, String error) {
        String name = step.spec().name();
        if (steps.get(name) != null && steps.get(name).status().finished()) {
            return;
        }
        save(new StepRecord(run.runId(), name, status, attempts, started, engine.clock().instant(), error));
        if (status != StepStatus.SUCCESS) {
            unusable.addAll(step.selected());
        }
        unfinished--;
        for (String dependentName : dependents.getOrDefault(name, List.of())) {
            PlannedStep dependent = plan.step(dependentName);
            if (steps.get(dependentName).status().finished()) {
                continue;
            }
            Set<AssetKey> needed = dependent.needs().get(name);
            if (cancelled) {
                finish(dependent, StepStatus.CANCELED, 0, null, "the run was cancelled");
            } else if (needed.stream().anyMatch(unusable::contains)) {
                String why = status == StepStatus.SUCCESS ? "a blocking check failed on " + needed.stream()
                        .filter(unusable::contains).findFirst().orElseThrow() : "upstream step " + name + " "
                        + status.name().toLowerCase(java.util.Locale.ROOT);
                event(dependentName, Level.WARN, "STEP_SKIPPED", "Step " + dependentName + " skipped: " + why);
                finish(dependent, StepStatus.SKIPPED, 0, null, why);
            } else if (waitingOn.merge(dependentName, -1, Integer::sum) == 0) {
                dispatch(dependent, 1);
            }
        }
        if (unfinished == 0) {
            complete();
        }
    }

    private void complete() {
        Map<StepStatus, List<String>> byStatus = new LinkedHashMap<>();
        steps.values().forEach(step -> byStatus.computeIfAbsent(step.status(), s -> new ArrayList<>()).add(step.step()));
        RunStatus status;
        String message;
        if (cancelled) {
            status = RunStatus.CANCELED;
            message = "cancelled";
        } else if (byStatus.containsKey(StepStatus.FAILURE) || !failedBlockingChecks.isEmpty()) {
            status = RunStatus.FAILURE;
            List<String> parts = new ArrayList<>();
            if (byStatus.containsKey(StepStatus.FAILURE)) {
                parts.add("failed: " + String.join(", ", byStatus.get(StepStatus.FAILURE)));
            }
            if (!failedBlockingChecks.isEmpty()) {
                parts.add("blocking checks failed: " + String.join(", ", failedBlockingChecks.stream().sorted().toList()));
            }
            if (byStatus.containsKey(StepStatus.SKIPPED)) {
                parts.add(byStatus.get(StepStatus.SKIPPED).size() + " step(s) skipped");
            }
            message = String.join("; ", parts);
        } else {
            status = RunStatus.SUCCESS;
            message = null;
        }
        run = run.withStatus(status, engine.clock().instant(), message);
        RunRecord ended = run;
        engine.writer().write(store -> store.updateRun(ended));
        event(null, status == RunStatus.SUCCESS ? Level.INFO : Level.ERROR, "RUN_END", "Run " + status.name().toLowerCase(
                java.util.Locale.ROOT) + (message == null ? "" : ": " + message));
        done.complete(ended);
        engine.ended(this);
    }

    /** Stops the run: steps not started are cancelled, running ones are interrupted and told. */
    void cancel() {
        List<PlannedStep> waitingRetry = new ArrayList<>();
        synchronized (this) {
            if (done.isDone()) {
                return;
            }
            cancelled = true;
            event(null, Level.WARN, "RUN_CANCELING", "Cancelling the run");
            retrying.forEach((name, future) -> {
                if (future.cancel(false)) {
                    waitingRetry.add(plan.step(name));
                }
            });
            running.values().forEach(Thread::interrupt);
            waitingRetry.forEach(step -> finish(step, StepStatus.CANCELED, steps.get(step.spec().name()).attempts(),
                    null, "the run was cancelled"));
            if (running.isEmpty()) {
                // Nothing will finish on its own: close every step still waiting.
                for (PlannedStep step : plan.steps()) {
                    finish(step, StepStatus.CANCELED, 0, null, "the run was cancelled");
                }
            }
        }
    }

    synchronized void heartbeat() {
        if (!done.isDone()) {
            run = run.withHeartbeat(engine.clock().instant());
            RunRecord alive = run;
            engine.writer().write(store -> store.updateRun(alive));
        }
    }

    private synchronized void save(StepRecord step) {
        steps.put(step.step(), step);
        engine.writer().write(store -> store.saveStep(step));
    }

    private void event(String step, Level level, String type, String message) {
        engine.emit(new RunEvent(run.runId(), 0, engine.clock().instant(), step, level, type, message));
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        if (failure instanceof fr.zlv.entrepot.core.EntrepotException entrepot && entrepot.hint() != null) {
            text += " " + entrepot.hint();
        }
        return text;
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : millis < 120_000 ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0)
                : duration.toMinutes() + " min";
    }

    /** The context a step sees. */
    private final class Context implements StepContext {

        private final PlannedStep step;
        private final int attempt;
        private final Instant started;
        private final Set<AssetKey> reported = ConcurrentHashMap.newKeySet();

        Context(PlannedStep step, int attempt, Instant started) {
            this.step = step;
            this.attempt = attempt;
            this.started = started;
        }

        @Override
        public String runId() {
            return run.runId();
        }

        @Override
        public String stepName() {
            return step.spec().name();
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
            event(step.spec().name(), Level.INFO, "LOG", message);
        }

        @Override
        public void warn(String message) {
            event(step.spec().name(), Level.WARN, "LOG", message);
        }

        @Override
        public void materialized(AssetKey key, Materialization materialization) {
            if (!step.selected().contains(key)) {
                throw new IllegalArgumentException("step " + step.spec().name() + " did not select " + key);
            }
            reported.add(key);
            Instant now = engine.clock().instant();
            MaterializationRecord record = new MaterializationRecord(key, run.runId(), step.spec().name(), now,
                    materialization.rows(), Duration.between(started, now).toMillis(), materialization.schemaHash(),
                    materialization.metadata());
            engine.writer().write(store -> store.recordMaterialization(record));
            event(step.spec().name(), Level.INFO, "ASSET_MATERIALIZATION", "Materialized " + key
                    + (materialization.rows() == null ? "" : " (" + materialization.rows() + " rows)"));
        }

        @Override
        public void checked(AssetKey key, CheckOutcome outcome) {
            RunExecution.this.checked(key, outcome);
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }
    }
}
