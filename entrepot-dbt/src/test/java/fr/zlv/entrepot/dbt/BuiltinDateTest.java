package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_date package (packages/dbt_date), checked by the values DuckDB computes. The project sets
 * {@code dbt_date:time_zone} to Asia/Tokyo (UTC+9 all year), so "now" and "today" are Tokyo's unless a tz is given.
 */
class BuiltinDateTest {

    @TempDir
    static Path directory;

    static CrossDbProject project;

    @BeforeAll
    static void load() {
        project = new CrossDbProject(directory, "\"dbt_date:time_zone\": Asia/Tokyo");
    }

    @AfterAll
    static void close() {
        project.close();
    }

    private static String text(String jinjaExpression) {
        return project.text(jinjaExpression);
    }

    /** What {@code compute} gives today in the zone; the day read before and after, in case midnight passes. */
    private static List<String> todayIn(ZoneId zone, Function<LocalDate, ?> compute) {
        return List.of(String.valueOf(compute.apply(LocalDate.now(zone))),
                String.valueOf(compute.apply(LocalDate.now(zone).plusDays(1))));
    }

    @Test
    void nowAndTodayFollowTheProjectTimeZoneOrTheArgument() {
        // now() is the transaction's start in every call: the wall-clock times differ by the zones' offsets.
        assertThat(text("date_diff('minute', timezone('UTC', now()), {{ dbt_date.now() }})")).isEqualTo("540");
        assertThat(text("date_diff('minute', timezone('UTC', now()), {{ dbt_date.now('America/Sao_Paulo') }})"))
                .isEqualTo("-180");
        assertThat(project.type("{{ dbt_date.now() }}")).isEqualTo("TIMESTAMP");
        assertThat(todayIn(ZoneId.of("Asia/Tokyo"), day -> day)).contains(text("{{ dbt_date.today() }}"));
        assertThat(todayIn(ZoneOffset.UTC, day -> day)).contains(text("{{ dbt_date.today('UTC') }}"));
        assertThat(project.type("{{ dbt_date.today() }}")).isEqualTo("DATE");
    }

    /** Without the var, the package's documented default zone: America/Los_Angeles. */
    @Test
    void theDefaultTimeZoneIsLosAngeles(@TempDir Path other) {
        try (CrossDbProject plain = new CrossDbProject(other)) {
            long offset = ZoneId.of("America/Los_Angeles").getRules().getOffset(Instant.now()).getTotalSeconds() / 60;
            assertThat(plain.text("date_diff('minute', timezone('UTC', now()), {{ dbt_date.now() }})"))
                    .isEqualTo(String.valueOf(offset));
            assertThat(plain.text("{{ dbt_date.convert_timezone(\"'2024-01-15 12:00:00'\") }}"))
                    .isEqualTo("2024-01-15 04:00:00");
        }
    }

    @Test
    void relativeDaysFromADateOrFromToday() {
        assertThat(text("{{ dbt_date.n_days_ago(7, date=\"'2024-03-01'\") }}")).isEqualTo("2024-02-23");
        assertThat(text("{{ dbt_date.n_days_away(2, \"'2024-02-28'\") }}")).isEqualTo("2024-03-01");
        assertThat(text("{{ dbt_date.yesterday(\"'2024-03-01'\") }}")).isEqualTo("2024-02-29");
        assertThat(text("{{ dbt_date.tomorrow(date=\"timestamp '2024-12-31 23:00'\") }}")).isEqualTo("2025-01-01");
        assertThat(project.type("{{ dbt_date.tomorrow(\"'2024-12-31'\") }}")).isEqualTo("DATE");

        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(todayIn(tokyo, day -> day.minusDays(3))).contains(text("{{ dbt_date.n_days_ago(3) }}"));
        assertThat(todayIn(tokyo, day -> day.plusDays(10))).contains(text("{{ dbt_date.n_days_away(10) }}"));
        assertThat(todayIn(ZoneOffset.UTC, day -> day.minusDays(1))).contains(text("{{ dbt_date.yesterday(tz='UTC') }}"));
        assertThat(todayIn(tokyo, day -> day.plusDays(1))).contains(text("{{ dbt_date.tomorrow() }}"));
    }

    @Test
    void weeksAndMonthsAgoAndAwayStartTheirPeriod() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Function<LocalDate, LocalDate> monday = day -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        assertThat(todayIn(tokyo, day -> monday.apply(day.minusWeeks(2)))).contains(text("{{ dbt_date.n_weeks_ago(2) }}"));
        assertThat(todayIn(tokyo, day -> monday.apply(day.plusWeeks(1)))).contains(text("{{ dbt_date.next_week() }}"));
        assertThat(todayIn(tokyo, day -> monday.apply(day.minusWeeks(1)))).contains(text("{{ dbt_date.last_week() }}"));
        assertThat(todayIn(tokyo, day -> monday.apply(day.plusWeeks(3)))).contains(text("{{ dbt_date.n_weeks_away(3) }}"));
        assertThat(todayIn(tokyo, day -> day.minusMonths(13).withDayOfMonth(1)))
                .contains(text("{{ dbt_date.n_months_ago(13) }}"));
        assertThat(todayIn(tokyo, day -> day.plusMonths(1).withDayOfMonth(1))).contains(text("{{ dbt_date.next_month() }}"));
        assertThat(todayIn(tokyo, day -> day.minusMonths(1).withDayOfMonth(1))).contains(text("{{ dbt_date.last_month() }}"));
        assertThat(todayIn(tokyo, day -> day.plusMonths(2).withDayOfMonth(1)))
                .contains(text("{{ dbt_date.n_months_away(2) }}"));
        assertThat(todayIn(tokyo, day -> day.minusMonths(1).getMonthValue()))
                .contains(text("{{ dbt_date.last_month_number() }}"));
        assertThat(todayIn(tokyo, day -> day.plusMonths(1).getMonthValue()))
                .contains(text("{{ dbt_date.next_month_number() }}"));
        assertThat(todayIn(tokyo, day -> english(day.minusMonths(1), "MMMM")))
                .contains(text("{{ dbt_date.last_month_name(short=false) }}"));
        assertThat(todayIn(tokyo, day -> english(day.plusMonths(1), "MMM")))
                .contains(text("{{ dbt_date.next_month_name() }}"));
    }

    private static String english(LocalDate day, String pattern) {
        return day.format(java.time.format.DateTimeFormatter.ofPattern(pattern, java.util.Locale.ENGLISH));
    }

    @Test
    void periodsSinceADateUntilNow() {
        LocalDate start = LocalDate.of(2024, 1, 1);
        assertThat(todayIn(ZoneOffset.UTC, day -> ChronoUnit.DAYS.between(start, day)))
                .contains(text("{{ dbt_date.periods_since(\"'2024-01-01'\", tz='UTC') }}"));
        assertThat(todayIn(ZoneOffset.UTC, day -> ChronoUnit.MONTHS.between(start, day.withDayOfMonth(1))))
                .contains(text("{{ dbt_date.periods_since(\"'2024-01-01'\", period_name='month', tz='UTC') }}"));
    }

    @Test
    void datePartsNamesAndWeekdays() {
        // The examples of dbt_date's documentation.
        assertThat(text("{{ dbt_date.day_of_week(\"'2022-03-06'\") }}")).isEqualTo("7");
        assertThat(text("{{ dbt_date.day_of_week(\"'2022-03-06'\", isoweek=False) }}")).isEqualTo("1");
        assertThat(text("{{ dbt_date.day_of_month(\"'2022-03-06'\") }}")).isEqualTo("6");
        assertThat(text("{{ dbt_date.day_of_year(\"'2022-02-02'\") }}")).isEqualTo("33");
        assertThat(text("{{ dbt_date.day_of_week(\"date '2024-01-10'\", isoweek=true) }}")).isEqualTo("3");
        assertThat(project.type("{{ dbt_date.day_of_week(\"'2022-03-06'\") }}")).isEqualTo("INTEGER");
        assertThat(text("{{ dbt_date.date_part('dayofweek', \"'2024-01-01'\") }}")).isEqualTo("1");
        assertThat(text("{{ dbt_date.date_part('quarter', \"date '2024-08-01'\") }}")).isEqualTo("3");
        assertThat(text("{{ dbt_date.day_name(\"'2024-01-07'\") }}")).isEqualTo("Sun");
        assertThat(text("{{ dbt_date.day_name(\"'2024-01-07'\", short=false) }}")).isEqualTo("Sunday");
        assertThat(text("{{ dbt_date.month_name(\"'2024-09-07'\") }}")).isEqualTo("Sep");
        assertThat(text("{{ dbt_date.month_name(\"'2024-09-07'\", short=false) }}")).isEqualTo("September");
    }

    @Test
    void usWeeksStartOnSundayAndIsoWeeksOnMonday() {
        // Wednesday 10 January 2024.
        assertThat(text("{{ dbt_date.week_start(\"'2024-01-10'\") }}")).isEqualTo("2024-01-07");
        assertThat(text("{{ dbt_date.week_end(\"'2024-01-10'\") }}")).isEqualTo("2024-01-13");
        assertThat(text("{{ dbt_date.week_start(\"'2024-01-07'\") }}")).isEqualTo("2024-01-07");
        assertThat(text("{{ dbt_date.iso_week_start(\"'2024-01-10'\") }}")).isEqualTo("2024-01-08");
        assertThat(text("{{ dbt_date.iso_week_end(\"'2024-01-10'\") }}")).isEqualTo("2024-01-14");
        assertThat(text("{{ dbt_date.iso_week_start(\"'2024-01-14'\") }}")).isEqualTo("2024-01-08");
        assertThat(project.type("{{ dbt_date.week_end(\"'2024-01-10'\") }}")).isEqualTo("DATE");
        // US week of year: days 1 to 7 are week 1.
        assertThat(text("{{ dbt_date.week_of_year(\"'2024-01-07'\") }}")).isEqualTo("1");
        assertThat(text("{{ dbt_date.week_of_year(\"'2024-01-08'\") }}")).isEqualTo("2");
        assertThat(text("{{ dbt_date.week_of_year(\"'2023-12-31'\") }}")).isEqualTo("53");
        // ISO: 30 December 2024 is in week 1 of 2025; 3 January 2021 in week 53 of 2020.
        assertThat(text("{{ dbt_date.iso_week_of_year(\"'2024-12-30'\") }}")).isEqualTo("1");
        assertThat(text("{{ dbt_date.iso_week_of_year(\"'2021-01-03'\") }}")).isEqualTo("53");
        // Without a date: this week, in the project's time zone.
        Function<LocalDate, LocalDate> sunday = day -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        assertThat(todayIn(ZoneId.of("Asia/Tokyo"), sunday)).contains(text("{{ dbt_date.week_start() }}"));
        assertThat(todayIn(ZoneId.of("Asia/Tokyo"), day -> sunday.apply(day).plusDays(6)))
                .contains(text("{{ dbt_date.week_end() }}"));
    }

    @Test
    void unixTimestampsBothWays() {
        assertThat(text("{{ dbt_date.from_unixtimestamp('1704067200') }}")).isEqualTo("2024-01-01 00:00:00");
        assertThat(text("{{ dbt_date.from_unixtimestamp('cast(1704067200 as integer)') }}")).isEqualTo("2024-01-01 00:00:00");
        assertThat(text("{{ dbt_date.from_unixtimestamp('1704067200.25') }}")).isEqualTo("2024-01-01 00:00:00.25");
        assertThat(text("{{ dbt_date.from_unixtimestamp('1704067200500', format='milliseconds') }}"))
                .isEqualTo("2024-01-01 00:00:00.5");
        assertThat(text("{{ dbt_date.from_unixtimestamp('1704067200000001', format='microseconds') }}"))
                .isEqualTo("2024-01-01 00:00:00.000001");
        assertThat(text("{{ dbt_date.from_unixtimestamp('1704067200000001000', format='nanoseconds') }}"))
                .isEqualTo("2024-01-01 00:00:00.000001");
        assertThat(project.type("{{ dbt_date.from_unixtimestamp('0') }}")).isEqualTo("TIMESTAMP");
        assertThat(text("{{ dbt_date.to_unixtimestamp(\"'2024-01-01 00:00:01.9'\") }}")).isEqualTo("1704067201");
        assertThat(text("{{ dbt_date.to_unixtimestamp(dbt_date.from_unixtimestamp('86400')) }}")).isEqualTo("86400");
        assertThat(project.type("{{ dbt_date.to_unixtimestamp(\"'2024-01-01'\") }}")).isEqualTo("BIGINT");
    }

    @Test
    void anUnknownEpochFormatIsACompilationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> project.render(
                "{{ dbt_date.from_unixtimestamp('e', format='days') }}"))
                .hasMessageContaining("format 'days' is not one of seconds, milliseconds, microseconds, nanoseconds");
    }

    @Test
    void convertTimezoneAndRoundTimestamp() {
        assertThat(text("{{ dbt_date.convert_timezone(\"'2024-01-15 12:00:00'\", 'America/New_York', 'UTC') }}"))
                .isEqualTo("2024-01-15 07:00:00");
        assertThat(text("{{ dbt_date.convert_timezone(\"timestamp '2024-07-15 12:00:00'\", 'America/New_York') }}"))
                .isEqualTo("2024-07-15 08:00:00");
        // The target defaults to the project's zone; the source to UTC.
        assertThat(text("{{ dbt_date.convert_timezone(\"'2024-01-15 12:00:00'\") }}")).isEqualTo("2024-01-15 21:00:00");
        assertThat(text("{{ dbt_date.convert_timezone(\"'2024-01-15 12:00:00'\", source_tz='Europe/Paris') }}"))
                .isEqualTo("2024-01-15 20:00:00");
        // The examples of dbt_date's documentation.
        assertThat(text("{{ dbt_date.round_timestamp(\"'2022-02-05 18:45:15'\") }}")).isEqualTo("2022-02-06 00:00:00");
        assertThat(text("{{ dbt_date.round_timestamp(\"'2022-02-05 11:45:15'\") }}")).isEqualTo("2022-02-05 00:00:00");
        assertThat(text("{{ dbt_date.round_timestamp(\"'2022-02-05 12:00:00'\") }}")).isEqualTo("2022-02-06 00:00:00");
    }

    @Test
    void baseDatesFromStartToEndOrTheLastNDateparts() {
        assertThat(project.column("{{ dbt_date.get_base_dates(start_date='2024-02-27', end_date='2024-03-01') }}"))
                .containsExactly("2024-02-27 00:00:00", "2024-02-28 00:00:00", "2024-02-29 00:00:00");
        assertThat(project.row("{{ dbt_date.get_base_dates('2024-01-01', '2024-01-02') }}")).containsOnlyKeys("date_day");
        // The last 3 months up to this one: four rows, today's month included.
        List<String> months = project.column("select * from ({{ dbt_date.get_base_dates(n_dateparts=3, datepart='month') }})"
                + " b order by 1");
        assertThat(months).hasSize(4);
        assertThat(todayIn(ZoneId.of("Asia/Tokyo"), day -> day + " 00:00:00")).contains(months.get(3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> project.render("{{ dbt_date.get_base_dates() }}"))
                .hasMessageContaining("get_base_dates needs start_date and end_date, or n_dateparts");
    }

    /** A date dimension built as a model by dbt run, with the columns dbt_date documents. */
    @Test
    void dateDimensionModel(@TempDir Path other) {
        try (CrossDbProject dimension = new CrossDbProject(other)) {
            dimension.write("models/dim_date.sql", "{{ dbt_date.get_date_dimension('2023-12-30', '2024-01-09') }}\n");
            DbtEngine dbt = dimension.engine();
            assertThat(dbt.run(Selection.ALL).succeeded()).as(String.join("\n", dimension.console)).isTrue();

            assertThat(dimension.column("select cast(date_day as varchar) from main.dim_date order by date_day"))
                    .hasSize(10).startsWith("2023-12-30").endsWith("2024-01-08");
            Map<String, Object> types = new LinkedHashMap<>();
            dimension.rows("select column_name, data_type from information_schema.columns"
                    + " where table_name = 'dim_date' order by ordinal_position")
                    .forEach(row -> types.put(String.valueOf(row.get(0)), row.get(1)));
            assertThat(types.keySet()).containsExactly("date_day", "prior_date_day", "next_date_day",
                    "prior_year_date_day", "prior_year_over_year_date_day", "day_of_week", "day_of_week_iso",
                    "day_of_week_name", "day_of_week_name_short", "day_of_month", "day_of_year", "week_start_date",
                    "week_end_date", "prior_year_week_start_date", "prior_year_week_end_date", "week_of_year",
                    "iso_week_start_date", "iso_week_end_date", "prior_year_iso_week_start_date",
                    "prior_year_iso_week_end_date", "iso_week_of_year", "prior_year_week_of_year",
                    "prior_year_iso_week_of_year", "month_of_year", "month_name", "month_name_short",
                    "month_start_date", "month_end_date", "prior_year_month_start_date", "prior_year_month_end_date",
                    "quarter_of_year", "quarter_start_date", "quarter_end_date", "year_number", "year_start_date",
                    "year_end_date");
            types.forEach((column, type) -> assertThat(type).as(column).isEqualTo(column.endsWith("_name")
                    || column.endsWith("_name_short") ? "VARCHAR"
                    : column.contains("date") ? "DATE" : "INTEGER"));

            // Monday 1 January 2024.
            assertThat(dimension.row("select cast(columns(*) as varchar) from main.dim_date where date_day = '2024-01-01'"))
                    .containsExactlyEntriesOf(expected(
                            "date_day", "2024-01-01", "prior_date_day", "2023-12-31", "next_date_day", "2024-01-02",
                            "prior_year_date_day", "2023-01-01", "prior_year_over_year_date_day", "2023-01-02",
                            "day_of_week", "2", "day_of_week_iso", "1", "day_of_week_name", "Monday",
                            "day_of_week_name_short", "Mon", "day_of_month", "1", "day_of_year", "1",
                            "week_start_date", "2023-12-31", "week_end_date", "2024-01-06",
                            "prior_year_week_start_date", "2023-01-01", "prior_year_week_end_date", "2023-01-07",
                            "week_of_year", "1", "iso_week_start_date", "2024-01-01", "iso_week_end_date", "2024-01-07",
                            "prior_year_iso_week_start_date", "2023-01-02", "prior_year_iso_week_end_date", "2023-01-08",
                            "iso_week_of_year", "1", "prior_year_week_of_year", "1", "prior_year_iso_week_of_year", "1",
                            "month_of_year", "1", "month_name", "January", "month_name_short", "Jan",
                            "month_start_date", "2024-01-01", "month_end_date", "2024-01-31",
                            "prior_year_month_start_date", "2023-01-01", "prior_year_month_end_date", "2023-01-31",
                            "quarter_of_year", "1", "quarter_start_date", "2024-01-01", "quarter_end_date", "2024-03-31",
                            "year_number", "2024", "year_start_date", "2024-01-01", "year_end_date", "2024-12-31"));
            // Sunday 31 December 2023: the first day of a US week, the last of an ISO week.
            assertThat(dimension.row("select day_of_week, day_of_week_iso, cast(week_start_date as varchar) w,"
                    + " week_of_year, iso_week_of_year, cast(prior_year_date_day as varchar) p, quarter_of_year"
                    + " from main.dim_date where date_day = '2023-12-31'"))
                    .containsExactlyEntriesOf(expected("day_of_week", 1, "day_of_week_iso", 7, "w", "2023-12-31",
                            "week_of_year", 53, "iso_week_of_year", 52, "p", "2022-12-31", "quarter_of_year", 4));
        }
    }

    private static Map<String, Object> expected(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return map;
    }

    /** A project that installs the real dbt_date under dbt_packages uses it, not the built-in one. */
    @Test
    void anInstalledDbtDatePackageWins(@TempDir Path other) {
        try (CrossDbProject installed = new CrossDbProject(other)) {
            installed.write("dbt_packages/dbt_date/dbt_project.yml", "name: dbt_date\n");
            installed.write("dbt_packages/dbt_date/macros/today.sql",
                    "{% macro today(tz=none) %}'installed today'{% endmacro %}\n");
            assertThat(installed.render("{{ dbt_date.today() }}")).isEqualTo("'installed today'");
            // Its macros only: the built-in ones are not mixed in.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> installed.render(
                    "{{ dbt_date.get_date_dimension('2024-01-01', '2024-01-02') }}")).hasMessageContaining("get_date_dimension");
        }
    }
}
