package fr.zlv.entrepot.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.orchestrator.schedule.TickDecision.Action;
import fr.zlv.entrepot.orchestrator.store.ScheduleState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler loop launches due runs on its own thread, survives failing ticks and stops when closed. */
class DaemonTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ScheduleSpec NIGHTLY = new ScheduleSpec("nightly", "build", "@daily", PARIS, true,
            OverlapPolicy.SKIP);
    /** Far longer than any test: the loop only ticks when woken or when a tick is due. */
    private static final Duration AN_HOUR = Duration.ofHours(1);
    /** How long a test waits for the loop's thread to do something before failing. */
    private static final long PATIENCE_SECONDS = 20;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private final BlockingQueue<TickDecision> decisions = new LinkedBlockingQueue<>();
    private final BlockingQueue<RuntimeException> failures = new LinkedBlockingQueue<>();
    private final Daemon.Listener listener = new Daemon.Listener() {
        @Override
        public void decided(TickDecision decision) {
            decisions.add(decision);
        }

        @Override
        public void failed(RuntimeException error) {
            failures.add(error);
        }
    };

    @Test
    void theDaemonLaunchesADueRunWhenTheClockPassesATickAndStopsCleanly() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T11:00:00Z"));
        Scheduler scheduler = new Scheduler(List.of(NIGHTLY), new ScheduleStateStore(), launcher, clock);
        scheduler.tick();
        Daemon daemon = new Daemon(scheduler, AN_HOUR, listener);
        daemon.start();
        assertThat(daemon.isRunning()).isTrue();

        clock.set(Instant.parse("2026-01-15T23:00:30Z"));
        daemon.wake();

        TickDecision decision = decisions.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertThat(decision).isNotNull();
        assertThat(decision.action()).isEqualTo(Action.LAUNCHED);
        assertThat(launcher.launches()).extracting(RecordingLauncher.Launch::trigger)
                .containsExactly("schedule:nightly");

        daemon.close();
        assertThat(daemon.isRunning()).isFalse();
        daemon.close();
    }

    @Test
    void theDaemonTicksAgainAfterItsIntervalWithoutBeingWoken() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T11:00:00Z"));
        Scheduler scheduler = new Scheduler(List.of(NIGHTLY), new ScheduleStateStore(), launcher, clock);
        scheduler.tick();
        try (Daemon daemon = new Daemon(scheduler, Duration.ofMillis(20), listener)) {
            daemon.start();

            clock.set(Instant.parse("2026-01-17T08:00:00Z"));

            TickDecision decision = decisions.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertThat(decision).isNotNull();
            assertThat(decision.tick().toString()).isEqualTo("2026-01-17T00:00+01:00[Europe/Paris]");
            assertThat(decision.missedTicks()).isEqualTo(2);
        }
    }

    @Test
    void theDaemonWakesForTheDueTickRatherThanWaitingOutItsInterval() throws InterruptedException {
        ScheduleStateStore store = new ScheduleStateStore();
        store.saveScheduleState(new ScheduleState("nightly", true, Instant.parse("2026-01-15T22:00:00Z"), null));
        // A real clock shifted to just before midnight in Paris, so the tick comes a second and a half from now.
        Instant justBeforeMidnight = Instant.parse("2026-01-15T22:59:58.500Z");
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), justBeforeMidnight));
        Scheduler scheduler = new Scheduler(List.of(NIGHTLY), store, launcher, clock);
        try (Daemon daemon = new Daemon(scheduler, AN_HOUR, listener)) {
            daemon.start();

            TickDecision decision = decisions.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);

            assertThat(decision).as("a launch well before the hour-long interval ends").isNotNull();
            assertThat(decision.tick().toString()).isEqualTo("2026-01-16T00:00+01:00[Europe/Paris]");
        }
    }

    @Test
    void aTickThatThrowsIsReportedAndTheLoopGoesOn() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T11:00:00Z"));
        AtomicInteger failingReads = new AtomicInteger();
        ScheduleStateStore store = new ScheduleStateStore() {
            @Override
            public Optional<ScheduleState> scheduleState(String schedule) {
                if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IllegalStateException("run store unreachable");
                }
                return super.scheduleState(schedule);
            }
        };
        Scheduler scheduler = new Scheduler(List.of(NIGHTLY), store, launcher, clock);
        scheduler.tick();
        clock.set(Instant.parse("2026-01-15T23:00:30Z"));
        failingReads.set(1);
        try (Daemon daemon = new Daemon(scheduler, AN_HOUR, listener)) {
            daemon.start();

            RuntimeException failure = failures.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertThat(failure).hasMessage("run store unreachable");
            assertThat(daemon.isRunning()).isTrue();

            daemon.wake();
            TickDecision decision = decisions.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertThat(decision).isNotNull();
            assertThat(decision.action()).isEqualTo(Action.LAUNCHED);
        }
    }

    @Test
    void closingADaemonNeverStartedDoesNothing() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T11:00:00Z"));
        Daemon daemon = new Daemon(new Scheduler(List.of(NIGHTLY), new ScheduleStateStore(), launcher, clock));

        daemon.close();

        assertThat(daemon.isRunning()).isFalse();
        assertThat(launcher.launches()).isEmpty();
    }
}
