package fr.zlv.entrepot.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.schedule.RecordingLauncher.Launch;
import fr.zlv.entrepot.orchestrator.schedule.TickDecision.Action;
import fr.zlv.entrepot.orchestrator.store.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which runs the scheduler launches as its clock moves, with the on/off state and last tick kept in the run store. */
class SchedulerTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** A Thursday noon in Paris (winter time). */
    private static final Instant START = Instant.parse("2026-01-15T11:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final ScheduleStateStore store = new ScheduleStateStore();
    private final RecordingLauncher launcher = new RecordingLauncher();

    private static ScheduleSpec daily(String name, String job, boolean on, OverlapPolicy overlap) {
        return new ScheduleSpec(name, job, "@daily", PARIS, on, overlap);
    }

    private Scheduler scheduler(ScheduleSpec... specs) {
        return new Scheduler(List.of(specs), store, launcher, clock);
    }

    @Test
    void aScheduleSeenForTheFirstTimeStartsFromNowAndLaunchesNothingForThePast() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));

        assertThat(scheduler.tick()).isEmpty();

        assertThat(launcher.launches()).isEmpty();
        ScheduleView view = scheduler.list(START).get(0);
        assertThat(view.on()).isTrue();
        assertThat(view.lastTick()).isEqualTo(ZonedDateTime.parse("2026-01-15T12:00+01:00[Europe/Paris]"));
        assertThat(view.lastRunId()).isNull();
        assertThat(view.nextTick()).isEqualTo(ZonedDateTime.parse("2026-01-16T00:00+01:00[Europe/Paris]"));
    }

    @Test
    void aDueTickLaunchesOneRunTriggeredByTheSchedule() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();

        clock.set(Instant.parse("2026-01-15T23:00:05Z"));
        List<TickDecision> decisions = scheduler.tick();

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.action()).isEqualTo(Action.LAUNCHED);
            assertThat(decision.tick()).isEqualTo(ZonedDateTime.parse("2026-01-16T00:00+01:00[Europe/Paris]"));
            assertThat(decision.runId()).isEqualTo("run-1");
            assertThat(decision.missedTicks()).isEqualTo(1);
            assertThat(decision.describe()).isEqualTo("schedule 'nightly': launched run run-1 of job 'build' for the"
                    + " tick of 2026-01-16T00:00+01:00[Europe/Paris]");
        });
        assertThat(launcher.launches()).containsExactly(new Launch("run-1", "build", "schedule:nightly"));
        assertThat(store.scheduleState("nightly")).contains(
                new ScheduleState("nightly", true, Instant.parse("2026-01-15T23:00:00Z"), "run-1"));
        // The same tick is not launched twice.
        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.tick()).isEmpty();
        assertThat(launcher.launches()).hasSize(1);
    }

    @Test
    void threeDaysDownWithADailyScheduleLaunchOneRunForTheNewestTick() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();

        clock.set(START.plus(Duration.ofDays(3)));
        List<TickDecision> decisions = scheduler.tick();

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.tick()).isEqualTo(ZonedDateTime.parse("2026-01-18T00:00+01:00[Europe/Paris]"));
            assertThat(decision.missedTicks()).isEqualTo(3);
            assertThat(decision.describe()).endsWith("(3 ticks due since the last one handled: one run)");
        });
        assertThat(launcher.launches()).hasSize(1);
        assertThat(scheduler.tick()).isEmpty();
        // Back on time: the next midnight launches again.
        clock.set(Instant.parse("2026-01-18T23:00:00Z"));
        assertThat(scheduler.tick()).extracting(TickDecision::runId).containsExactly("run-2");
    }

    @Test
    void aScheduleOffByDefaultLaunchesNothing() {
        Scheduler scheduler = scheduler(daily("yearly_files", "load", false, OverlapPolicy.SKIP));
        scheduler.tick();
        clock.advance(Duration.ofDays(5));

        assertThat(scheduler.tick()).isEmpty();

        assertThat(launcher.launches()).isEmpty();
        ScheduleView view = scheduler.list(clock.instant()).get(0);
        assertThat(view.on()).isFalse();
        assertThat(view.nextTick()).isNull();
        assertThat(scheduler.nextDue()).isEmpty();
    }

    @Test
    void aScheduleTurnedOffLaunchesNothingAndTurnedBackOnDoesNotCatchUpTheTimeItWasOff() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();

        assertThat(scheduler.off("nightly").on()).isFalse();
        clock.advance(Duration.ofDays(2));
        assertThat(scheduler.tick()).isEmpty();

        ScheduleView view = scheduler.on("nightly");
        assertThat(view.on()).isTrue();
        assertThat(view.nextTick()).isEqualTo(ZonedDateTime.parse("2026-01-18T00:00+01:00[Europe/Paris]"));
        assertThat(scheduler.tick()).isEmpty();
        assertThat(launcher.launches()).isEmpty();

        clock.set(Instant.parse("2026-01-17T23:00:00Z"));
        assertThat(scheduler.tick()).extracting(TickDecision::action).containsExactly(Action.LAUNCHED);
    }

    @Test
    void turningOnAScheduleAlreadyOnKeepsItsPendingTick() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();
        clock.set(Instant.parse("2026-01-15T23:30:00Z"));

        scheduler.on("nightly");

        assertThat(scheduler.tick()).extracting(TickDecision::action).containsExactly(Action.LAUNCHED);
    }

    @Test
    void withSkipATickWhileTheJobStillRunsIsConsumedWithoutARun() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();
        launcher.running("build");

        clock.set(Instant.parse("2026-01-15T23:00:00Z"));
        List<TickDecision> decisions = scheduler.tick();

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.action()).isEqualTo(Action.SKIPPED_OVERLAP);
            assertThat(decision.runId()).isNull();
            assertThat(decision.describe()).isEqualTo("schedule 'nightly': skipped the tick of"
                    + " 2026-01-16T00:00+01:00[Europe/Paris]: a run of job 'build' is still queued or running"
                    + " (overlap: skip)");
        });
        assertThat(launcher.launches()).isEmpty();
        assertThat(scheduler.tick()).isEmpty();
        assertThat(scheduler.list(clock.instant()).get(0).lastTick())
                .isEqualTo(ZonedDateTime.parse("2026-01-16T00:00+01:00[Europe/Paris]"));
    }

    @Test
    void withQueueATickWhileTheJobStillRunsLaunchesAnyway() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.QUEUE));
        scheduler.tick();
        launcher.running("build");

        clock.set(Instant.parse("2026-01-15T23:00:00Z"));

        assertThat(scheduler.tick()).extracting(TickDecision::action).containsExactly(Action.LAUNCHED);
        assertThat(launcher.launches()).extracting(Launch::job).containsExactly("build");
    }

    @Test
    void withoutAnOverlapPolicyATickWhileTheJobStillRunsIsSkipped() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, null));
        scheduler.tick();
        launcher.running("build");
        clock.set(Instant.parse("2026-01-15T23:00:00Z"));

        assertThat(scheduler.tick()).extracting(TickDecision::action).containsExactly(Action.SKIPPED_OVERLAP);
        assertThat(scheduler.list().get(0).overlap()).isEqualTo(OverlapPolicy.SKIP);
    }

    @Test
    void theStateSurvivesANewSchedulerOnTheSameStore() {
        ScheduleSpec nightly = daily("nightly", "build", true, OverlapPolicy.SKIP);
        ScheduleSpec weekly = new ScheduleSpec("weekly", "ff", "0 5 * * 1", PARIS, true, OverlapPolicy.SKIP);
        Scheduler first = scheduler(nightly, weekly);
        first.tick();
        clock.set(Instant.parse("2026-01-15T23:00:00Z"));
        first.tick();
        first.off("weekly");

        Scheduler restarted = scheduler(nightly, weekly);

        assertThat(restarted.tick()).isEmpty();
        assertThat(restarted.list(clock.instant())).extracting(ScheduleView::name, ScheduleView::on,
                        ScheduleView::lastRunId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nightly", true, "run-1"),
                        org.assertj.core.groups.Tuple.tuple("weekly", false, null));
        clock.set(Instant.parse("2026-01-19T05:00:00Z"));
        assertThat(restarted.tick()).extracting(TickDecision::schedule).containsExactly("nightly");
    }

    @Test
    void decisionsComeInDeclarationOrder() {
        Scheduler scheduler = scheduler(daily("b_second", "two", true, OverlapPolicy.SKIP),
                daily("a_first", "one", true, OverlapPolicy.SKIP));
        scheduler.tick();
        clock.advance(Duration.ofDays(1));

        assertThat(scheduler.tick()).extracting(TickDecision::schedule).containsExactly("b_second", "a_first");
    }

    @Test
    void aRefusedLaunchIsReportedAndItsTickConsumed() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP));
        scheduler.tick();
        launcher.refuse("no job named 'build'");
        clock.advance(Duration.ofDays(1));

        assertThat(scheduler.tick()).singleElement().satisfies(decision -> {
            assertThat(decision.action()).isEqualTo(Action.FAILED);
            assertThat(decision.describe()).isEqualTo("schedule 'nightly': could not launch job 'build' for the tick"
                    + " of 2026-01-16T00:00+01:00[Europe/Paris]: no job named 'build'");
        });
        assertThat(scheduler.tick()).isEmpty();
    }

    @Test
    void nextDueIsTheEarliestTickStillToHandle() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP),
                new ScheduleSpec("morning", "report", "0 6 * * *", PARIS, true, OverlapPolicy.SKIP));
        assertThat(scheduler.nextDue()).contains(START);
        scheduler.tick();

        assertThat(scheduler.nextDue()).contains(Instant.parse("2026-01-15T23:00:00Z"));
        // Once midnight has passed unhandled, it is still what is due.
        clock.set(Instant.parse("2026-01-16T03:00:00Z"));
        assertThat(scheduler.nextDue()).contains(Instant.parse("2026-01-15T23:00:00Z"));
        scheduler.tick();
        assertThat(scheduler.nextDue()).contains(Instant.parse("2026-01-16T05:00:00Z"));
    }

    @Test
    void anUnknownScheduleNameListsTheKnownOnesAndSuggestsTheClosest() {
        Scheduler scheduler = scheduler(daily("nightly", "build", true, OverlapPolicy.SKIP),
                daily("yearly_files", "load", false, OverlapPolicy.SKIP));

        assertThatThrownBy(() -> scheduler.on("nighly"))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("No schedule named 'nighly'. Known schedules: nightly, yearly_files.")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).startsWith("Did you mean 'nightly'?"));
        assertThatThrownBy(() -> scheduler.off("weekly"))
                .hasMessage("No schedule named 'weekly'. Known schedules: nightly, yearly_files.")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).doesNotContain("Did you mean"));
    }

    @Test
    void aBadCronExpressionOrATwiceDeclaredNameIsRejectedWhenTheSchedulerIsBuilt() {
        assertThatThrownBy(() -> scheduler(new ScheduleSpec("nightly", "build", "0 24 * * *", PARIS, true, null)))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("Schedule 'nightly': cron expression '0 24 * * *'");
        assertThatThrownBy(() -> scheduler(daily("nightly", "build", true, null), daily("nightly", "ff", true, null)))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("Schedule 'nightly' is declared twice.");
        assertThatThrownBy(() -> scheduler(new ScheduleSpec("nightly", " ", "@daily", PARIS, true, null)))
                .hasMessage("Schedule 'nightly' names no job.");
    }
}
