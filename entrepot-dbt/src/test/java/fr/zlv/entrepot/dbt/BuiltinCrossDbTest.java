package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's cross-database macros (macros/crossdb.sql), each called as {@code dbt.name(...)} and as {@code name(...)},
 * checked by the values DuckDB computes from the SQL they give. BuiltinCrossDbPostgresIT runs the same cases on
 * PostgreSQL; the cases whose answers differ between the engines (type names, arrays) are overridden there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinCrossDbTest {

    CrossDbProject project;

    /** A project the cases run in: on a DuckDB file here, on PostgreSQL in the IT that extends this class. */
    CrossDbProject newProject(Path directory) {
        return new CrossDbProject(directory);
    }

    @BeforeAll
    void load(@TempDir Path directory) {
        project = newProject(directory);
        // Unqualified, so the table lands in the target's schema: main on DuckDB, public on PostgreSQL.
        project.execute("""
                create table items as select * from (values
                    ('fruit', 'apple', true, 3), ('fruit', 'cherry', false, null), ('fruit', 'banana', false, 2),
                    ('veg', null, false, 1), ('veg', 'leek', false, null)
                ) as t(grp, name, flag, n)""");
    }

    @AfterAll
    void close() {
        project.close();
    }

    String text(String jinjaExpression) {
        return project.text(jinjaExpression);
    }

    @Test
    void dateaddAddsDatepartsToLiteralsAndExpressionsClampingMonthEnds() {
        // A quoted literal, as dbt's docs pass dates, is read as a timestamp.
        assertThat(text("{{ dbt.dateadd('day', 1, \"'2024-01-31'\") }}")).isEqualTo("2024-02-01 00:00:00");
        assertThat(text("{{ dateadd('month', 1, \"'2024-01-31'\") }}")).isEqualTo("2024-02-29 00:00:00");
        assertThat(text("{{ dbt.dateadd(datepart='month', interval=-1, from_date_or_timestamp=\"date '2024-03-31'\") }}"))
                .isEqualTo("2024-02-29 00:00:00");
        assertThat(text("{{ dbt.dateadd('quarter', '1 + 1', \"timestamp '2024-01-15 10:30:00'\") }}"))
                .isEqualTo("2024-07-15 10:30:00");
        assertThat(text("{{ dbt.dateadd('week', 2, \"'2024-01-01'\") }}")).isEqualTo("2024-01-15 00:00:00");
        assertThat(text("{{ dbt.dateadd('hour', -3, \"'2024-01-01'\") }}")).isEqualTo("2023-12-31 21:00:00");
        assertThat(project.column("select {{ dbt.dateadd('day', 'n', \"date '2024-01-01'\") }} from items"
                + " where n is not null order by n")).containsExactly(
                "2024-01-02 00:00:00", "2024-01-03 00:00:00", "2024-01-04 00:00:00");
    }

    @Test
    void datediffCountsTheDatepartBoundariesCrossed() {
        assertThat(text("{{ dbt.datediff(\"'2018-01-01'\", \"'2018-01-20'\", 'day') }}")).isEqualTo("19");
        assertThat(text("{{ datediff(\"'2024-01-01 23:59'\", \"'2024-01-02 00:01'\", 'day') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-31'\", \"'2024-02-01'\", 'month') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2023-12-31'\", \"'2024-01-01'\", 'year') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-03-31'\", \"'2024-04-01'\", 'quarter') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-01 10:59'\", \"'2024-01-01 11:01'\", 'hour') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-01 10:59:59'\", \"'2024-01-01 11:00:01'\", 'minute') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-01 10:00:00.9'\", \"'2024-01-01 10:00:01.1'\", 'second') }}"))
                .isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-02-01'\", \"'2024-01-31'\", 'month') }}")).isEqualTo("-1");
        // Weeks start on Monday: Sunday 7 January to Monday 8 January crosses one; Monday 1 to Sunday 7, none.
        assertThat(text("{{ dbt.datediff(\"'2024-01-07'\", \"'2024-01-08'\", 'week') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-01'\", \"'2024-01-07'\", 'week') }}")).isEqualTo("0");
        assertThat(text("{{ dbt.datediff(\"'2024-01-22'\", \"'2024-01-07'\", 'week') }}")).isEqualTo("-3");
        // Dates and timestamps mix, as columns do.
        assertThat(text("{{ dbt.datediff(\"date '2024-01-01'\", \"timestamp '2024-03-01 08:00'\", 'month') }}"))
                .isEqualTo("2");
        // DuckDB names types in capitals (BIGINT), PostgreSQL in small letters (bigint).
        assertThat(project.type("{{ dbt.datediff(\"'2024-01-01'\", \"'2024-01-02'\", 'day') }}")).isEqualToIgnoringCase("bigint");
    }

    @Test
    void dateTruncLastDayDateAndDateSpine() {
        assertThat(text("{{ dbt.date_trunc('month', \"'2024-02-10 10:00'\") }}")).isEqualTo("2024-02-01 00:00:00");
        assertThat(text("{{ dbt.last_day(\"'2024-02-10'\", 'month') }}")).isEqualTo("2024-02-29");
        assertThat(text("{{ last_day(\"date '2024-05-17'\", 'quarter') }}")).isEqualTo("2024-06-30");
        assertThat(text("{{ dbt.last_day(\"'2023-05-17'\", 'year') }}")).isEqualTo("2023-12-31");
        assertThat(project.type("{{ dbt.last_day(\"'2024-02-10'\", 'month') }}")).isEqualToIgnoringCase("date");
        assertThat(text("{{ dbt.date(2024, 2, 29) }}")).isEqualTo("2024-02-29");
        assertThat(project.type("{{ date(2024, 2, 29) }}")).isEqualToIgnoringCase("date");

        // The end is left out; each row is start + n months, so month ends stay month ends.
        assertThat(project.column("{{ dbt.date_spine('month', \"'2024-01-31'\", \"'2024-05-01'\") }}")).containsExactly(
                "2024-01-31 00:00:00", "2024-02-29 00:00:00", "2024-03-31 00:00:00", "2024-04-30 00:00:00");
        assertThat(project.column("select * from ({{ date_spine('day', \"'2024-01-01'\", \"'2024-01-04'\") }}) s"
                + " order by 1")).containsExactly("2024-01-01 00:00:00", "2024-01-02 00:00:00", "2024-01-03 00:00:00");
        assertThat(project.column("{{ dbt.date_spine('quarter', \"'2024-01-01'\", \"'2024-12-31'\") }}")).containsExactly(
                "2024-01-01 00:00:00", "2024-04-01 00:00:00", "2024-07-01 00:00:00", "2024-10-01 00:00:00");
        assertThat(project.rows("{{ dbt.date_spine('day', \"'2024-01-01'\", \"'2024-01-04'\") }}").size()).isEqualTo(3);
        assertThat(project.row("{{ dbt.date_spine('day', \"'2024-01-01'\", \"'2024-01-02'\") }}"))
                .containsOnlyKeys("date_day");
        assertThat(project.column("select * from ({{ dbt.generate_series(3) }}) s order by 1"))
                .containsExactly("1", "2", "3");
        assertThat(project.row("{{ generate_series(1) }}")).containsOnlyKeys("generated_number");
    }

    @Test
    void currentTimestampIsNowWithItsTimeZone() {
        assertThat(project.type("{{ dbt.current_timestamp() }}")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(text("{{ current_timestamp() }} = now()")).isEqualTo("true");
        assertThat(text("abs(date_diff('second', {{ dbt.current_timestamp() }}, cast('"
                + java.time.Instant.now() + "' as timestamptz))) < 300")).isEqualTo("true");
        // What packages written for older dbt call: timestamps without time zone.
        assertThat(project.type("{{ dbt.current_timestamp_backcompat() }}")).isEqualTo("TIMESTAMP");
        assertThat(text("{{ dbt.current_timestamp_in_utc_backcompat() }} = timezone('UTC', now())")).isEqualTo("true");
    }

    @Test
    void typeMacrosNameTheEnginesTypesAndCastsUseThem() {
        assertThat(project.render("{{ dbt.type_string() }} {{ type_timestamp() }} {{ dbt.type_float() }}"
                + " {{ dbt.type_numeric() }} {{ dbt.type_bigint() }} {{ dbt.type_int() }} {{ dbt.type_boolean() }}"))
                .isEqualTo("varchar timestamp double numeric(28,6) bigint integer boolean");
        assertThat(project.type("cast('1.5' as {{ dbt.type_numeric() }})")).isEqualTo("DECIMAL(28,6)");
        assertThat(project.type("cast(1 as {{ dbt.type_float() }})")).isEqualTo("DOUBLE");
        assertThat(project.type("cast(1 as {{ type_int() }})")).isEqualTo("INTEGER");
        assertThat(project.type("cast(1 as {{ dbt.type_string() }})")).isEqualTo("VARCHAR");
        assertThat(project.type("{{ dbt.cast(\"'12'\", dbt.type_bigint()) }}")).isEqualTo("BIGINT");
        assertThat(text("{{ dbt.safe_cast(\"'abc'\", dbt.type_int()) }}")).isNull();
        assertThat(text("{{ safe_cast(\"'12'\", 'integer') }} + 1")).isEqualTo("13");
        assertThat(project.column("select {{ dbt.cast_bool_to_text('flag') }} from items where grp = 'fruit'"
                + " order by name")).containsExactly("true", "false", "false");
        assertThat(text("{{ cast_bool_to_text('null::boolean') }}")).isNull();
    }

    @Test
    void stringMacros() {
        // A null part reads as empty text, as in PostgreSQL's concat.
        assertThat(text("{{ dbt.concat([\"'a'\", 'null', \"'-'\", \"'b'\"]) }}")).isEqualTo("a-b");
        assertThat(text("{{ concat([\"'x'\", '1 + 1']) }}")).isEqualTo("x2");
        assertThat(text("{{ dbt.split_part(\"'a,b,c'\", \"','\", 2) }}")).isEqualTo("b");
        assertThat(text("{{ split_part(string_text=\"'a,b,c'\", delimiter_text=\"','\", part_number=-1) }}"))
                .isEqualTo("c");
        assertThat(text("{{ dbt.split_part(\"'a,b,c'\", \"','\", 5) }}")).isEmpty();
        assertThat(text("{{ dbt.replace(\"'banana'\", \"'a'\", \"'o'\") }}")).isEqualTo("bonono");
        assertThat(text("{{ replace(\"'banana'\", \"'an'\", \"''\") }}")).isEqualTo("ba");
        assertThat(text("{{ dbt.right(\"'abcdef'\", 2) }}")).isEqualTo("ef");
        assertThat(text("{{ right(\"'abcdef'\", 0) }}")).isEmpty();
        assertThat(text("{{ dbt.length(\"'abcé'\") }}")).isEqualTo("4");
        assertThat(text("(select {{ length('name') }} from items where n = 2)")).isEqualTo("6");
        assertThat(text("{{ dbt.position(\"'c'\", \"'abc'\") }}")).isEqualTo("3");
        assertThat(text("{{ position(\"'z'\", \"'abc'\") }}")).isEqualTo("0");
        assertThat(text("{{ dbt.hash(\"'abc'\") }}")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(text("{{ hash('1') }}")).isEqualTo("c4ca4238a0b923820dcc509a6f75849b");
        assertThat(project.render("{{ dbt.escape_single_quotes(\"it's\") }}")).isEqualTo("it''s");
        assertThat(text("'{{ escape_single_quotes(\"l'eau d'ici\") }}'")).isEqualTo("l'eau d'ici");
        assertThat(project.render("{{ dbt.string_literal('abc') }}")).isEqualTo("'abc'");
        assertThat(text("{{ string_literal(\"it's\") }}")).isEqualTo("it's");
    }

    /** Macros named like Jinja filters or Python builtins leave those filters alone. */
    @Test
    void macrosNamedLikeFiltersLeaveTheFiltersWorking() {
        assertThat(project.render("{{ 'abc' | replace('b', 'x') }} {{ [1, 2, 3] | length }} {{ replace('f', 'a', 'b') }}"
                + " {{ length('f') }} {{ dbt.replace('f', 'a', 'b') }}"))
                .isEqualTo("axc 3 replace(f, a, b) length(f) replace(f, a, b)");
    }

    @Test
    void listaggJoinsInOrderWithADefaultCommaAndALimit() {
        List<List<Object>> joined = project.rows("select grp, {{ dbt.listagg('name', \"'|'\", 'order by name desc') }}"
                + " from items group by grp order by grp");
        // Null values are left out.
        assertThat(joined).containsExactly(List.of("fruit", "cherry|banana|apple"), List.of("veg", "leek"));
        assertThat(text("(select {{ listagg('name', order_by_clause='order by name') }} from items"
                + " where grp = 'fruit')")).isEqualTo("apple,banana,cherry");
        assertThat(text("(select {{ dbt.listagg(measure='name', delimiter_text=\"', '\","
                + " order_by_clause='order by name', limit_num=2) }} from items)")).isEqualTo("apple, banana");
        // Without an order, every value is there once.
        assertThat(text("(select {{ listagg('name') }} from items where grp = 'fruit')").split(","))
                .containsExactlyInAnyOrder("apple", "banana", "cherry");
    }

    /** Where DuckDB is lenient: a date given to date_trunc, numbers given to listagg. */
    @Test
    void datesToDateTruncAndNumbersToListagg() {
        assertThat(text("{{ date_trunc('week', \"date '2024-01-07'\") }}")).isEqualTo("2024-01-01 00:00:00");
        assertThat(text("(select {{ dbt.listagg('n') }} from items where grp = 'veg')")).isEqualTo("1");
    }

    @Test
    void anyValueAndBoolOrAggregate() {
        assertThat(project.rows("select grp, {{ dbt.any_value('name') }}, {{ bool_or('flag') }},"
                + " {{ dbt.bool_or('n > 2') }} from items where grp = 'veg' or name = 'apple' group by grp order by grp"))
                .containsExactly(List.of("fruit", "apple", true, true), List.of("veg", "leek", false, false));
    }

    @Test
    void arrayMacrosBuildTheEnginesArrays() {
        assertThat(text("{{ dbt.array_construct(['1', '2', '3']) }}")).isEqualTo("[1, 2, 3]");
        assertThat(project.type("{{ array_construct() }}")).isEqualTo("INTEGER[]");
        assertThat(project.type("{{ dbt.array_construct([], 'varchar') }}")).isEqualTo("VARCHAR[]");
        assertThat(text("{{ dbt.array_append(dbt.array_construct(['1', '2']), 3) }}")).isEqualTo("[1, 2, 3]");
        assertThat(text("{{ array_concat(\"['a']\", \"['b', 'c']\") }}")).isEqualTo("[a, b, c]");
    }

    @Test
    void setOperations() {
        assertThat(project.column("select * from (select * from (values (1), (2)) v(x) {{ dbt.except() }} select 2) s"))
                .containsExactly("1");
        assertThat(project.column("select * from (select * from (values (1), (2)) v(x) {{ intersect() }} select 2) s"))
                .containsExactly("2");
    }

    /**
     * A project overrides a macro by defining duckdb__name (or default__name), as with dbt's dispatch; packages call
     * the macros as dbt.name() or name(); and the macros build real models.
     */
    @Test
    void modelsAndPackagesUseTheMacrosAndProjectsOverrideThem(@TempDir Path other) {
        try (CrossDbProject overriding = newProject(other)) {
            overriding.write("macros/overrides.sql", """
                    {% macro duckdb__hash(field) %}sha256(cast({{ field }} as varchar)){% endmacro %}
                    {% macro default__type_string() %}text{% endmacro %}
                    """);
            overriding.write("dbt_packages/calendar_utils/dbt_project.yml", "name: calendar_utils\n");
            overriding.write("dbt_packages/calendar_utils/macros/days.sql", """
                    {% macro days_between(a, b) %}{{ dbt.datediff(a, b, 'day') }} + {{ datediff(a, a, 'day') }}{% endmacro %}
                    """);
            overriding.write("seeds/orders.csv", "id,ordered_at,amount\n1,2024-01-31,10\n2,2024-02-15,20\n");
            overriding.write("models/orders_due.sql", """
                    select
                        id,
                        cast({{ dbt.dateadd('month', 1, 'ordered_at') }} as date) as due_on,
                        {{ calendar_utils.days_between('ordered_at', "'2024-03-01'") }} as days_left,
                        {{ dbt.concat(["'#'", dbt.cast('id', dbt.type_string())]) }} as label,
                        {{ dbt.hash('id') }} as id_hash
                    from {{ ref('orders') }}
                    """);

            assertThat(overriding.render("{{ dbt.hash('x') }} {{ hash('x') }} {{ type_string() }} {{ dbt.type_int() }}"))
                    .isEqualTo("sha256(cast(x as varchar)) sha256(cast(x as varchar)) text integer");
            DbtEngine dbt = overriding.engine();
            assertThat(dbt.seed(Selection.ALL).succeeded()).isTrue();
            assertThat(dbt.run(Selection.ALL).succeeded()).as(String.join("\n", overriding.console)).isTrue();
            assertThat(overriding.rows("select cast(id as int), cast(due_on as varchar), cast(days_left as int), label, id_hash = sha256('1')"
                    + " from main.orders_due order by id")).containsExactly(
                    List.of(1, "2024-02-29", 30, "#1", true), List.of(2, "2024-03-15", 15, "#2", false));
        }
    }
}
