package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's cross-database macros on PostgreSQL: the postgres__ versions (macros/postgres.sql) and the shared ones give the
 * values BuiltinCrossDbTest expects from DuckDB, computed by a real PostgreSQL. Where the engines differ (arrays'
 * text, a bad value given to safe_cast), the test says how.
 */
class BuiltinCrossDbPostgresIT {

    @TempDir
    static Path directory;

    static TestPostgres.Database database;
    static CrossDbProject project;

    @BeforeAll
    static void load() {
        database = TestPostgres.createDatabase("crossdb_it");
        project = CrossDbProject.onPostgres(directory.resolve("macros"), database);
        project.execute("""
                create table public.items as select * from (values
                    ('fruit', 'apple', true, 3), ('fruit', 'cherry', false, null), ('fruit', 'banana', false, 2),
                    ('veg', null, false, 1), ('veg', 'leek', false, null)
                ) as t(grp, name, flag, n)""");
    }

    @AfterAll
    static void close() {
        project.close();
        database.close();
    }

    private static String text(String jinjaExpression) {
        return project.text(jinjaExpression);
    }

    @Test
    void dispatchPicksThePostgresVersions() {
        assertThat(project.render("{{ dbt.dateadd('day', 1, 'd') }}")).isEqualTo("(d + ((1) * interval '1 day'))");
        assertThat(project.render("{{ dbt.type_float() }} {{ dbt.any_value('x') }}")).isEqualTo("double precision min(x)");
    }

    @Test
    void dateaddAddsDatepartsToLiteralsAndExpressionsClampingMonthEnds() {
        assertThat(text("{{ dbt.dateadd('day', 1, \"'2024-01-31'\") }}")).isEqualTo("2024-02-01 00:00:00");
        assertThat(text("{{ dateadd('month', 1, \"'2024-01-31'\") }}")).isEqualTo("2024-02-29 00:00:00");
        assertThat(text("{{ dbt.dateadd(datepart='month', interval=-1, from_date_or_timestamp=\"date '2024-03-31'\") }}"))
                .isEqualTo("2024-02-29 00:00:00");
        assertThat(text("{{ dbt.dateadd('quarter', '1 + 1', \"timestamp '2024-01-15 10:30:00'\") }}"))
                .isEqualTo("2024-07-15 10:30:00");
        assertThat(text("{{ dbt.dateadd('week', 2, \"'2024-01-01'\") }}")).isEqualTo("2024-01-15 00:00:00");
        assertThat(text("{{ dbt.dateadd('hour', -3, \"'2024-01-01'\") }}")).isEqualTo("2023-12-31 21:00:00");
        assertThat(project.column("select {{ dbt.dateadd('day', 'n', \"date '2024-01-01'\") }} from public.items"
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
        assertThat(text("{{ dbt.datediff(\"'2024-01-07'\", \"'2024-01-08'\", 'week') }}")).isEqualTo("1");
        assertThat(text("{{ dbt.datediff(\"'2024-01-01'\", \"'2024-01-07'\", 'week') }}")).isEqualTo("0");
        assertThat(text("{{ dbt.datediff(\"'2024-01-22'\", \"'2024-01-07'\", 'week') }}")).isEqualTo("-3");
        assertThat(text("{{ dbt.datediff(\"date '2024-01-01'\", \"timestamp '2024-03-01 08:00'\", 'month') }}"))
                .isEqualTo("2");
        assertThat(project.type("{{ dbt.datediff(\"'2024-01-01'\", \"'2024-01-02'\", 'day') }}")).isEqualTo("bigint");
    }

    @Test
    void dateTruncLastDayDateAndDateSpine() {
        assertThat(text("{{ dbt.date_trunc('month', \"'2024-02-10 10:00'\") }}")).isEqualTo("2024-02-01 00:00:00");
        assertThat(text("{{ dbt.last_day(\"'2024-02-10'\", 'month') }}")).isEqualTo("2024-02-29");
        assertThat(text("{{ last_day(\"date '2024-05-17'\", 'quarter') }}")).isEqualTo("2024-06-30");
        assertThat(text("{{ dbt.last_day(\"'2023-05-17'\", 'year') }}")).isEqualTo("2023-12-31");
        assertThat(project.type("{{ dbt.last_day(\"'2024-02-10'\", 'month') }}")).isEqualTo("date");
        assertThat(text("{{ dbt.date(2024, 2, 29) }}")).isEqualTo("2024-02-29");

        assertThat(project.column("{{ dbt.date_spine('month', \"'2024-01-31'\", \"'2024-05-01'\") }}")).containsExactly(
                "2024-01-31 00:00:00", "2024-02-29 00:00:00", "2024-03-31 00:00:00", "2024-04-30 00:00:00");
        assertThat(project.column("select * from ({{ date_spine('day', \"'2024-01-01'\", \"'2024-01-04'\") }}) s"
                + " order by 1")).containsExactly("2024-01-01 00:00:00", "2024-01-02 00:00:00", "2024-01-03 00:00:00");
        assertThat(project.column("{{ dbt.date_spine('quarter', \"'2024-01-01'\", \"'2024-12-31'\") }}")).containsExactly(
                "2024-01-01 00:00:00", "2024-04-01 00:00:00", "2024-07-01 00:00:00", "2024-10-01 00:00:00");
        assertThat(project.row("{{ dbt.date_spine('day', \"'2024-01-01'\", \"'2024-01-02'\") }}"))
                .containsOnlyKeys("date_day");
        assertThat(project.column("select * from ({{ dbt.generate_series(3) }}) s order by 1"))
                .containsExactly("1", "2", "3");
        assertThat(project.row("{{ generate_series(1) }}")).containsOnlyKeys("generated_number");
    }

    @Test
    void currentTimestampIsNowWithItsTimeZone() {
        assertThat(project.type("{{ dbt.current_timestamp() }}")).isEqualTo("timestamp with time zone");
        assertThat(text("{{ current_timestamp() }} = now()")).isEqualTo("true");
        assertThat(project.type("{{ dbt.current_timestamp_backcompat() }}")).isEqualTo("timestamp without time zone");
        assertThat(text("{{ dbt.current_timestamp_in_utc_backcompat() }} = timezone('UTC', now())")).isEqualTo("true");
    }

    @Test
    void typeMacrosNamePostgresqlTypesAndCastsUseThem() {
        assertThat(project.render("{{ dbt.type_string() }} {{ type_timestamp() }} {{ dbt.type_float() }}"
                + " {{ dbt.type_numeric() }} {{ dbt.type_bigint() }} {{ dbt.type_int() }} {{ dbt.type_boolean() }}"))
                .isEqualTo("varchar timestamp double precision numeric(28,6) bigint integer boolean");
        assertThat(project.type("cast(1 as {{ dbt.type_float() }})")).isEqualTo("double precision");
        assertThat(project.type("cast('1.5' as {{ dbt.type_numeric() }})")).isEqualTo("numeric");
        assertThat(project.type("{{ dbt.cast(\"'12'\", dbt.type_bigint()) }}")).isEqualTo("bigint");
        assertThat(text("{{ safe_cast(\"'12'\", 'integer') }} + 1")).isEqualTo("13");
        // PostgreSQL has no cast that gives null on bad input: the value is an error there, as with dbt-postgres.
        assertThatThrownBy(() -> text("{{ dbt.safe_cast(\"'abc'\", dbt.type_int()) }}"))
                .hasMessageContaining("invalid input syntax for type integer");
        assertThat(project.column("select {{ dbt.cast_bool_to_text('flag') }} from public.items where grp = 'fruit'"
                + " order by name")).containsExactly("true", "false", "false");
    }

    @Test
    void stringMacros() {
        assertThat(text("{{ dbt.concat([\"'a'\", 'null', \"'-'\", \"'b'\"]) }}")).isEqualTo("a-b");
        assertThat(text("{{ concat([\"'x'\", '1 + 1']) }}")).isEqualTo("x2");
        assertThat(text("{{ dbt.split_part(\"'a,b,c'\", \"','\", 2) }}")).isEqualTo("b");
        assertThat(text("{{ split_part(string_text=\"'a,b,c'\", delimiter_text=\"','\", part_number=-1) }}"))
                .isEqualTo("c");
        assertThat(text("{{ dbt.split_part(\"'a,b,c'\", \"','\", 5) }}")).isEmpty();
        assertThat(text("{{ dbt.replace(\"'banana'\", \"'a'\", \"'o'\") }}")).isEqualTo("bonono");
        assertThat(text("{{ dbt.right(\"'abcdef'\", 2) }}")).isEqualTo("ef");
        assertThat(text("{{ dbt.length(\"'abcé'\") }}")).isEqualTo("4");
        assertThat(text("{{ dbt.position(\"'c'\", \"'abc'\") }}")).isEqualTo("3");
        assertThat(text("{{ position(\"'z'\", \"'abc'\") }}")).isEqualTo("0");
        assertThat(text("{{ dbt.hash(\"'abc'\") }}")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(text("'{{ escape_single_quotes(\"l'eau d'ici\") }}'")).isEqualTo("l'eau d'ici");
        assertThat(text("{{ string_literal(\"it's\") }}")).isEqualTo("it's");
    }

    @Test
    void listaggAnyValueAndBoolOr() {
        assertThat(project.rows("select grp, {{ dbt.listagg('name', \"'|'\", 'order by name desc') }}"
                + " from public.items group by grp order by grp"))
                .containsExactly(List.of("fruit", "cherry|banana|apple"), List.of("veg", "leek"));
        assertThat(text("(select {{ listagg('name', order_by_clause='order by name') }} from public.items"
                + " where grp = 'fruit')")).isEqualTo("apple,banana,cherry");
        assertThat(text("(select {{ dbt.listagg(measure='name', delimiter_text=\"', '\","
                + " order_by_clause='order by name', limit_num=2) }} from public.items)")).isEqualTo("apple, banana");
        assertThat(project.rows("select grp, {{ dbt.any_value('name') }}, {{ bool_or('flag') }},"
                + " {{ dbt.bool_or('n > 2') }} from public.items where grp = 'veg' or name = 'apple' group by grp order by grp"))
                .containsExactly(List.of("fruit", "apple", true, true), List.of("veg", "leek", false, false));
    }

    @Test
    void arrayMacrosBuildPostgresqlArrays() {
        assertThat(text("{{ dbt.array_construct(['1', '2', '3']) }}")).isEqualTo("{1,2,3}");
        assertThat(project.type("{{ array_construct() }}")).isEqualTo("integer[]");
        assertThat(project.type("{{ dbt.array_construct([], 'varchar') }}")).isEqualTo("character varying[]");
        assertThat(text("{{ dbt.array_append(dbt.array_construct(['1', '2']), 3) }}")).isEqualTo("{1,2,3}");
        assertThat(text("{{ array_concat(\"array['a']\", \"array['b', 'c']\") }}")).isEqualTo("{a,b,c}");
    }

    @Test
    void modelsUseTheMacrosOnPostgresql(@TempDir Path other) {
        try (CrossDbProject models = CrossDbProject.onPostgres(other, database)) {
            models.write("seeds/orders.csv", "id,ordered_at,amount\n1,2024-01-31,10\n2,2024-02-15,20\n");
            models.write("models/orders_due.sql", """
                    select
                        id,
                        cast({{ dbt.dateadd('month', 1, 'ordered_at') }} as date) as due_on,
                        {{ dbt.datediff('ordered_at', "'2024-03-01'", 'day') }} as days_left,
                        {{ dbt.concat(["'#'", dbt.cast('id', dbt.type_string())]) }} as label
                    from {{ ref('orders') }}
                    """);
            DbtEngine dbt = models.engine();
            assertThat(dbt.seed(Selection.ALL).succeeded()).as(String.join("\n", models.console)).isTrue();
            assertThat(dbt.run(Selection.ALL).succeeded()).as(String.join("\n", models.console)).isTrue();
            assertThat(models.rows("select cast(id as int), cast(due_on as varchar), cast(days_left as int), label"
                    + " from public.orders_due order by id")).containsExactly(
                    List.of(1, "2024-02-29", 30, "#1"), List.of(2, "2024-03-15", 15, "#2"));
        }
    }
}
