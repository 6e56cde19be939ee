package fr.zlv.entrepot.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next and previous ticks of cron expressions and nicknames in a time zone, across daylight-saving changes. */
class ScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static CronSchedule paris(String expression) {
        return CronSchedule.parse("test", expression, PARIS);
    }

    private static ZonedDateTime at(String isoOffsetDateTime) {
        return ZonedDateTime.parse(isoOffsetDateTime);
    }

    @Test
    void yearlyFiresAtMidnightOnTheFirstOfJanuaryInTheZone() {
        assertThat(paris("@yearly").next(at("2026-11-30T00:00+01:00")))
                .isEqualTo(at("2027-01-01T00:00+01:00[Europe/Paris]"));
        assertThat(paris("@annually").next(at("2026-11-30T00:00+01:00")).toInstant())
                .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    }

    @Test
    void monthlyFiresAtMidnightOnTheFirstOfEachMonthInWinterAndSummerTime() {
        CronSchedule monthly = paris("@monthly");
        assertThat(monthly.next(at("2026-01-31T12:00+01:00")).toInstant())
                .isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
        assertThat(monthly.next(at("2026-05-15T12:00+02:00")).toInstant())
                .isEqualTo(Instant.parse("2026-05-31T22:00:00Z"));
    }

    @Test
    void dailyFiresAtEachLocalMidnight() {
        CronSchedule daily = paris("@daily");
        assertThat(daily.ticksBetween(Instant.parse("2026-06-01T12:00:00Z"), Instant.parse("2026-06-04T12:00:00Z"), 10))
                .extracting(ZonedDateTime::toString)
                .containsExactly("2026-06-02T00:00+02:00[Europe/Paris]", "2026-06-03T00:00+02:00[Europe/Paris]",
                        "2026-06-04T00:00+02:00[Europe/Paris]");
        assertThat(paris("@midnight").fields()).isEqualTo("0 0 * * *");
    }

    @Test
    void weeklyAndHourlyNicknamesStandForTheirFiveFields() {
        assertThat(paris("@weekly").fields()).isEqualTo("0 0 * * 0");
        assertThat(paris("@weekly").next(at("2026-03-04T10:00+01:00"))).isEqualTo(at("2026-03-08T00:00+01:00[Europe/Paris]"));
        assertThat(paris("@hourly").next(at("2026-03-04T10:20+01:00"))).isEqualTo(at("2026-03-04T11:00+01:00[Europe/Paris]"));
        assertThat(paris("@Daily").expression()).isEqualTo("@Daily");
    }

    @Test
    void aSixOClockScheduleFiresAtFiveUtcInWinterAndFourUtcInSummer() {
        CronSchedule six = paris("0 6 * * *");
        assertThat(six.next(Instant.parse("2026-01-15T00:00:00Z")).toInstant()).isEqualTo(Instant.parse("2026-01-15T05:00:00Z"));
        assertThat(six.next(Instant.parse("2026-07-15T00:00:00Z")).toInstant()).isEqualTo(Instant.parse("2026-07-15T04:00:00Z"));
    }

    @Test
    void nextIsStrictlyAfterAndPreviousIsAtOrBefore() {
        CronSchedule six = paris("0 6 * * *");
        Instant tick = Instant.parse("2026-01-15T05:00:00Z");
        assertThat(six.next(tick).toInstant()).isEqualTo(Instant.parse("2026-01-16T05:00:00Z"));
        assertThat(six.previous(tick).toInstant()).isEqualTo(tick);
        assertThat(six.previous(tick.minusSeconds(1)).toInstant()).isEqualTo(Instant.parse("2026-01-14T05:00:00Z"));
        assertThat(six.previous(tick.plusSeconds(59)).toInstant()).isEqualTo(tick);
    }

    @Test
    void weekdaysOnlySkipTheWeekend() {
        // 2026-03-06 is a Friday.
        assertThat(paris("0 7 * * 1-5").next(at("2026-03-06T08:00+01:00")))
                .isEqualTo(at("2026-03-09T07:00+01:00[Europe/Paris]"));
        assertThat(paris("0 7 * * MON-FRI").next(at("2026-03-06T08:00+01:00")))
                .isEqualTo(at("2026-03-09T07:00+01:00[Europe/Paris]"));
    }

    @Test
    void aTimeSkippedBySpringForwardFiresOnceWhenTheClocksJump() {
        // 2026-03-29 in Paris: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist that day.
        CronSchedule halfPastTwo = paris("30 2 * * *");
        List<ZonedDateTime> ticks = halfPastTwo.ticksBetween(
                Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-03-30T12:00:00Z"), 10);
        assertThat(ticks).extracting(ZonedDateTime::toString).containsExactly(
                "2026-03-28T02:30+01:00[Europe/Paris]",
                "2026-03-29T03:00+02:00[Europe/Paris]",
                "2026-03-30T02:30+02:00[Europe/Paris]");
        assertThat(halfPastTwo.previous(Instant.parse("2026-03-29T01:00:00Z")))
                .isEqualTo(at("2026-03-29T03:00+02:00[Europe/Paris]"));
        assertThat(halfPastTwo.previous(Instant.parse("2026-03-29T00:59:59Z")))
                .isEqualTo(at("2026-03-28T02:30+01:00[Europe/Paris]"));
    }

    @Test
    void hourlyTicksInTheSkippedHourCollapseIntoOne() {
        List<ZonedDateTime> ticks = paris("0 * * * *").ticksBetween(
                Instant.parse("2026-03-29T00:30:00Z"), Instant.parse("2026-03-29T02:30:00Z"), 10);
        assertThat(ticks).extracting(ZonedDateTime::toString).containsExactly(
                "2026-03-29T03:00+02:00[Europe/Paris]", "2026-03-29T04:00+02:00[Europe/Paris]");
    }

    @Test
    void aTimeRepeatedByFallBackFiresOnceAtItsFirstOccurrence() {
        // 2026-10-25 in Paris: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice (00:30Z and 01:30Z).
        CronSchedule halfPastTwo = paris("30 2 * * *");
        List<ZonedDateTime> ticks = halfPastTwo.ticksBetween(
                Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z"), 10);
        assertThat(ticks).extracting(ZonedDateTime::toString).containsExactly(
                "2026-10-25T02:30+02:00[Europe/Paris]", "2026-10-26T02:30+01:00[Europe/Paris]");
        // Asked during the second 02:45, the last tick is still the first 02:30, and the next is the next day.
        Instant secondOccurrence = Instant.parse("2026-10-25T01:45:00Z");
        assertThat(halfPastTwo.previous(secondOccurrence)).isEqualTo(at("2026-10-25T02:30+02:00[Europe/Paris]"));
        assertThat(halfPastTwo.next(Instant.parse("2026-10-25T01:10:00Z")))
                .isEqualTo(at("2026-10-26T02:30+01:00[Europe/Paris]"));
    }

    @Test
    void aFifteenMinuteScheduleDoesNotRepeatTheFallBackHour() {
        List<ZonedDateTime> ticks = paris("*/15 * * * *").ticksBetween(
                Instant.parse("2026-10-25T00:40:00Z"), Instant.parse("2026-10-25T02:20:00Z"), 20);
        assertThat(ticks).extracting(ZonedDateTime::toString).containsExactly(
                "2026-10-25T02:45+02:00[Europe/Paris]",
                "2026-10-25T03:00+01:00[Europe/Paris]",
                "2026-10-25T03:15+01:00[Europe/Paris]");
    }

    @Test
    void ticksBetweenStopsAtTheLimit() {
        assertThat(paris("@hourly").ticksBetween(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:00Z"), 5)).hasSize(5);
        assertThat(paris("@yearly").ticksBetween(Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-12-30T00:00:00Z"), 5)).isEmpty();
    }

    @Test
    void aLeapDayScheduleFiresEveryFourYears() {
        assertThat(paris("0 12 29 2 *").next(at("2026-03-01T00:00+01:00")))
                .isEqualTo(at("2028-02-29T12:00+01:00[Europe/Paris]"));
    }

    @Test
    void anOutOfRangeValueNamesTheScheduleTheExpressionAndTheField() {
        assertThatThrownBy(() -> CronSchedule.parse("nightly_build", "0 25 * * *", PARIS))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("nightly_build")
                .hasMessageContaining("'0 25 * * *'")
                .hasMessageContaining("hour field '25'")
                .hasMessageContaining("not in range [0, 23]")
                .satisfies(e -> {
                    EntrepotException error = (EntrepotException) e;
                    assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
                    assertThat(error.hint()).contains("minute hour day-of-month month day-of-week", "@daily");
                });
    }

    @Test
    void aWrongNumberOfFieldsIsCounted() {
        assertThatThrownBy(() -> CronSchedule.parse("s", "0 6 * *", PARIS))
                .hasMessageContaining("has 4 fields; a cron expression has 5");
        assertThatThrownBy(() -> CronSchedule.parse("s", "0 0 6 * * ?", PARIS))
                .hasMessageContaining("has 6 fields").hasMessageContaining("Seconds and years");
    }

    @Test
    void aMisspelledNicknameSuggestsTheRightOne() {
        assertThatThrownBy(() -> CronSchedule.parse("s", "@dayly", PARIS))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("unknown nickname '@dayly'")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).startsWith("Did you mean '@daily'?"));
        assertThatThrownBy(() -> CronSchedule.parse("s", "@reboot", PARIS))
                .hasMessageContaining("@reboot is not a time");
    }

    @Test
    void anExpressionThatNeverFiresIsRejected() {
        assertThatThrownBy(() -> CronSchedule.parse("s", "0 0 30 2 *", PARIS))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("'0 0 30 2 *' never fires");
    }

    @Test
    void garbageAndMissingPartsAreRejectedWithTheSchedulesName() {
        assertThatThrownBy(() -> CronSchedule.parse("s", "every day", PARIS))
                .isInstanceOf(EntrepotException.class).hasMessageContaining("Schedule 's'");
        assertThatThrownBy(() -> CronSchedule.parse("s", "0 6 * * funday", PARIS))
                .hasMessageContaining("day-of-week field 'funday'");
        assertThatThrownBy(() -> CronSchedule.parse("s", " ", PARIS))
                .hasMessage("Schedule 's' has no cron expression.");
        assertThatThrownBy(() -> CronSchedule.parse("s", "@daily", null))
                .hasMessage("Schedule 's' has no time zone.");
    }
}
