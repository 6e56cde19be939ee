package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's cross-database macros on PostgreSQL: the postgres__ versions (macros/postgres.sql) and the shared ones give the
 * values {@link BuiltinCrossDbTest} expects from DuckDB, computed by a real PostgreSQL (a fresh database, dropped
 * after). Where the engines differ (type names, arrays' text, a bad value given to safe_cast), the case is overridden
 * here and says how.
 */
class BuiltinCrossDbPostgresIT extends BuiltinCrossDbTest {

    private TestPostgres.Database database;

    /** Every project of the class (the shared one and the models' one) uses one database, schema public. */
    @Override
    CrossDbProject newProject(Path directory) {
        if (database == null) {
            database = TestPostgres.createDatabase("crossdb_it");
        }
        return CrossDbProject.onPostgres(directory, database);
    }

    @Override
    @AfterAll
    void close() {
        super.close();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void dispatchPicksThePostgresVersions() {
        assertThat(project.render("{{ dbt.dateadd('day', 1, 'd') }}")).isEqualTo("(d + ((1) * interval '1 day'))");
        assertThat(project.render("{{ dbt.type_float() }} {{ dbt.any_value('x') }}")).isEqualTo("double precision min(x)");
    }

    @Override
    @Test
    void currentTimestampIsNowWithItsTimeZone() {
        assertThat(project.type("{{ dbt.current_timestamp() }}")).isEqualTo("timestamp with time zone");
        assertThat(text("{{ current_timestamp() }} = now()")).isEqualTo("true");
        assertThat(project.type("{{ dbt.current_timestamp_backcompat() }}")).isEqualTo("timestamp without time zone");
        assertThat(text("{{ dbt.current_timestamp_in_utc_backcompat() }} = timezone('UTC', now())")).isEqualTo("true");
    }

    @Override
    @Test
    void typeMacrosNameTheEnginesTypesAndCastsUseThem() {
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
        assertThat(project.column("select {{ dbt.cast_bool_to_text('flag') }} from items where grp = 'fruit'"
                + " order by name")).containsExactly("true", "false", "false");
    }

    @Override
    @Test
    void arrayMacrosBuildTheEnginesArrays() {
        assertThat(text("{{ dbt.array_construct(['1', '2', '3']) }}")).isEqualTo("{1,2,3}");
        assertThat(project.type("{{ array_construct() }}")).isEqualTo("integer[]");
        assertThat(project.type("{{ dbt.array_construct([], 'varchar') }}")).isEqualTo("character varying[]");
        assertThat(text("{{ dbt.array_append(dbt.array_construct(['1', '2']), 3) }}")).isEqualTo("{1,2,3}");
        assertThat(text("{{ array_concat(\"array['a']\", \"array['b', 'c']\") }}")).isEqualTo("{a,b,c}");
    }

    /** PostgreSQL's date_trunc gives a date back with a time zone, and its string_agg takes text only, as with dbt-postgres. */
    @Override
    @Test
    void datesToDateTruncAndNumbersToListagg() {
        assertThat(project.type("{{ date_trunc('week', \"date '2024-01-07'\") }}")).isEqualTo("timestamp with time zone");
        assertThatThrownBy(() -> text("(select {{ dbt.listagg('n') }} from items where grp = 'veg')"))
                .hasMessageContaining("string_agg(integer");
    }

    /** The DuckDB case overrides duckdb__hash with DuckDB's sha256(varchar); here models use the built-in macros. */
    @Override
    @Test
    void modelsAndPackagesUseTheMacrosAndProjectsOverrideThem(@TempDir Path other) {
        try (CrossDbProject models = newProject(other)) {
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
