package fr.zlv.entrepot.orchestrator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler loop of {@code entrepot daemon}: on its own thread, calls {@link Scheduler#tick()}, then sleeps until
 * the next due tick (as {@link Scheduler#nextDue()} tells) but never longer than the interval (30 s by default), so
 * a schedule turned on from another process, or a clock changed under it, is noticed within one interval.
 *
 * <p>Decisions are logged by the scheduler and handed to the listener. A tick that throws (the run store unreachable,
 * say) is logged, reported to the listener, and tried again after one interval; the loop goes on. {@link #close()}
 * stops the loop and waits for the thread to end. The thread is not a daemon thread: it keeps the JVM alive until
 * closed, as the command expects.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** How long the loop sleeps at most between two ticks when no schedule is due sooner. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    /** A floor on the sleep, so a tick due "now" that the clock has not reached yet cannot spin the loop. */
    private static final Duration MIN_WAIT = Duration.ofMillis(10);

    /** Told what the loop does, on the loop's thread. */
    public interface Listener {

        /** A schedule's due tick was acted on. */
        void decided(TickDecision decision);

        /** A tick threw; the loop goes on after one interval. */
        default void failed(RuntimeException error) {
        }
    }

    private static final Listener NO_LISTENER = decision -> {
    };

    private final Scheduler scheduler;
    private final Duration interval;
    private final Listener listener;
    private final Object lock = new Object();
    private boolean stopping;
    private boolean wakeRequested;
    private Thread thread;

    /** A daemon polling at most every {@link #DEFAULT_INTERVAL}, with no listener. */
    public Daemon(Scheduler scheduler) {
        this(scheduler, DEFAULT_INTERVAL, null);
    }

    /**
     * @param interval the longest sleep between two ticks (positive)
     * @param listener told of every decision and failed tick; may be null
     */
    public Daemon(Scheduler scheduler, Duration interval, Listener listener) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The daemon's interval must be positive, not " + interval);
        }
        this.scheduler = scheduler;
        this.interval = interval;
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    /** Starts the loop on its own thread; the first tick happens at once. */
    public void start() {
        synchronized (lock) {
            if (thread != null) {
                throw new IllegalStateException("The scheduler daemon is already started");
            }
            thread = new Thread(this::loop, "entrepot-scheduler");
            thread.start();
        }
        LOG.info("Scheduler daemon started: {} schedule(s), ticking at least every {}", scheduler.specs().size(),
                human(interval));
    }

    /** Ticks now rather than at the end of the current sleep (after turning a schedule on in this process, say). */
    public void wake() {
        synchronized (lock) {
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    /** True from {@link #start()} until the loop has ended. */
    public boolean isRunning() {
        synchronized (lock) {
            return thread != null && thread.isAlive();
        }
    }

    /** Blocks until the loop ends (after {@link #close()} from another thread, e.g. a shutdown hook). */
    public void awaitStop() throws InterruptedException {
        Thread running;
        synchronized (lock) {
            running = thread;
        }
        if (running != null) {
            running.join();
        }
    }

    /** Stops the loop and waits for its current tick to finish. Safe to call more than once. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        try {
            running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!stopped()) {
            Duration wait;
            try {
                List<TickDecision> decisions = scheduler.tick();
                decisions.forEach(this::tell);
                wait = untilNextDue();
            } catch (RuntimeException e) {
                LOG.error("A scheduler tick failed; trying again in {}", human(interval), e);
                tellFailure(e);
                wait = interval;
            }
            if (!sleep(wait)) {
                break;
            }
        }
        LOG.info("Scheduler daemon stopped");
    }

    private Duration untilNextDue() {
        Optional<Instant> due = scheduler.nextDue();
        if (due.isEmpty()) {
            return interval;
        }
        Duration until = Duration.between(scheduler.clock().instant(), due.get());
        if (until.compareTo(interval) > 0) {
            return interval;
        }
        return until.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : until;
    }

    /** Sleeps for {@code wait} or until woken; false when the loop must end. */
    private boolean sleep(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            try {
                // Loop over wait() because it may return early (spurious wake-ups).
                while (!stopping && !wakeRequested) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    lock.wait(Math.max(1, remaining / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            wakeRequested = false;
            return !stopping;
        }
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private boolean stopped() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void tell(TickDecision decision) {
        try {
            listener.decided(decision);
        } catch (RuntimeException e) {
            LOG.warn("The daemon's listener failed on a decision of schedule '{}'", decision.schedule(), e);
        }
    }

    private void tellFailure(RuntimeException error) {
        try {
            listener.failed(error);
        } catch (RuntimeException e) {
            LOG.warn("The daemon's listener failed on a failed tick", e);
        }
    }
}
