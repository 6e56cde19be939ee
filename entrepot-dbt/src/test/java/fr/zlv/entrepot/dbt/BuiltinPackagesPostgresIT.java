package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_utils and dbt_date macros on PostgreSQL, where their SQL differs from DuckDB's (dispatch to
 * postgres__ versions, or SQL both read): the values BuiltinDbtUtilsTest and BuiltinDateTest expect from DuckDB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinPackagesPostgresIT {

    private TestPostgres.Database database;
    private CrossDbProject project;
    private DbtEngine.CommandResult build;

    @BeforeAll
    void buildTheProject(@TempDir Path directory) {
        database = TestPostgres.createDatabase("packages_it");
        project = CrossDbProject.onPostgres(directory, database, "\"dbt_date:time_zone\": Asia/Tokyo");
        project.write("seeds/people.csv", "id,first_name,last_name,city,age,active\n1,Ana,Lopez,Paris,34,true\n"
                + "2,Ben,,Lyon,,false\n3,Chloé,Martin,Paris,28,true\n4,Dan,Roy,Nantes,45,true\n");
        project.write("seeds/orders.csv", "order_id,customer_id,status,amount,ordered_at\n1,1,placed,10,2024-01-01\n"
                + "2,1,shipped,20,2024-01-03\n3,2,returned,5,2024-01-02\n4,2,placed,7,2024-01-04\n"
                + "5,3,shipped,1,2024-01-01\n");
        project.write("seeds/events_2023.csv", "id,kind,amount\n1,click,2.5\n2,view,1\n");
        project.write("seeds/events_2024.csv", "channel,ID,kind\nweb,3,click\n");
        project.write("seeds/urls.csv", "id,url\n1,https://www.example.com:8080/shop/cart?utm_source=news&utm_medium=mail\n"
                + "2,http://example.org\n3,example.net/a/b/?x=1#top\n");
        project.write("models/surrogate_keys.sql", "select id, {{ dbt_utils.generate_surrogate_key(['first_name',"
                + " 'last_name']) }} as person_key from {{ ref('people') }}\n");
        project.write("models/star_except.sql", "select {{ dbt_utils.star(ref('people'), except=['AGE', 'active']) }}"
                + " from {{ ref('people') }}\n");
        project.write("models/unioned.sql", "{{ dbt_utils.union_relations(relations=[ref('events_2023'),"
                + " ref('events_2024')]) }}\n");
        project.write("models/pivoted.sql", """
                select customer_id,
                {{ dbt_utils.pivot('status', dbt_utils.get_column_values(ref('orders'), 'status', order_by='status')) }}
                from {{ ref('orders') }}
                group by customer_id
                """);
        project.write("models/unpivoted.sql", "{{ dbt_utils.unpivot(ref('people'), exclude=['id'], remove=['first_name',"
                + " 'last_name', 'age'], field_name='attribute', value_name='val') }}\n");
        project.write("models/day_spine.sql", "{{ dbt_utils.date_spine('day', \"cast('2024-01-30' as date)\","
                + " \"cast('2024-02-02' as date)\") }}\n");
        project.write("models/month_spine.sql", "{{ dbt_utils.date_spine(datepart='month', start_date=\"cast('2024-01-15'"
                + " as date)\", end_date=\"cast('2024-04-01' as date)\") }}\n");
        project.write("models/latest_orders.sql", "{{ dbt_utils.deduplicate(ref('orders'), partition_by='customer_id',"
                + " order_by='ordered_at desc') }}\n");
        project.write("models/series.sql", "{{ dbt_utils.generate_series(upper_bound=5) }}\n");
        project.write("models/distances.sql", "select {{ dbt_utils.haversine_distance(48.864716, 2.349014, 52.379189,"
                + " 4.899431, unit='km') }} as kilometres\n");
        project.write("models/buckets.sql", "select v, {{ dbt_utils.width_bucket('v', 0, 10, 5) }} as bucket"
                + " from (values (-1), (0), (3.9), (9.99), (10), (null)) as t(v)\n");
        project.write("models/url_parts.sql", "select id, {{ dbt_utils.get_url_host('url') }} as host,"
                + " {{ dbt_utils.get_url_path(field='url') }} as path, {{ dbt_utils.get_url_parameter('url', 'utm_source') }}"
                + " as utm_source from {{ ref('urls') }}\n");
        project.write("models/introspected.sql", """
                {%- set by_frequency = dbt_utils.get_column_values(ref('people'), 'city') -%}
                {%- set relations = dbt_utils.get_relations_by_pattern('pub%', 'events\\\\_%') -%}
                select '{{ by_frequency[0] }}' as most_frequent_city,
                    '{{ relations | map(attribute="identifier") | join(",") }}' as events,
                    {{ dbt_utils.get_single_value("select max(age) from " ~ ref('people')) }} as oldest
                """);
        project.write("models/dim_date.sql", "{{ dbt_date.get_date_dimension('2023-12-30', '2024-01-09') }}\n");
        DbtEngine dbt = project.engine();
        build = dbt.build(Selection.ALL);
    }

    @AfterAll
    void close() {
        project.close();
        database.close();
    }

    private List<List<Object>> rows(String sql) {
        return project.rows(sql).stream().map(row -> row.stream().map(BuiltinPackagesPostgresIT::plain).toList()).toList();
    }

    private static Object plain(Object value) {
        if (value instanceof Number number) {
            return number.longValue() == number.doubleValue() ? (Object) number.longValue() : number.doubleValue();
        }
        return value == null ? null : value.toString();
    }

    @Test
    void everyModelIsBuilt() {
        assertThat(build.results()).allSatisfy(result -> assertThat(result.status()).as(result.node().name() + ": "
                + result.message()).isIn(NodeResult.Status.SUCCESS, NodeResult.Status.PASS)).hasSize(19);
    }

    @Test
    void sqlGeneratorsGiveDuckDbsRows() throws Exception {
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        assertThat(rows("select person_key from public.surrogate_keys where id = 2")).containsExactly(List.of(
                java.util.HexFormat.of().formatHex(md5.digest("Ben-_dbt_utils_surrogate_key_null_".getBytes("UTF-8")))));
        assertThat(project.engine().show(null, "select * from public.star_except", 0).getColumn_names())
                .containsExactly("id", "first_name", "last_name", "city");
        assertThat(rows("select id, kind, amount, channel from public.unioned order by id")).containsExactly(
                Arrays.asList(1L, "click", 2.5, null), Arrays.asList(2L, "view", 1L, null),
                Arrays.asList(3L, "click", null, "web"));
        assertThat(rows("select * from public.pivoted order by customer_id")).containsExactly(
                List.of(1L, 1L, 0L, 1L), List.of(2L, 1L, 1L, 0L), List.of(3L, 0L, 0L, 1L));
        assertThat(rows("select * from public.unpivoted where id <= 2 order by id, attribute")).containsExactly(
                List.of(1L, "active", "true"), List.of(1L, "city", "Paris"),
                List.of(2L, "active", "false"), List.of(2L, "city", "Lyon"));
        assertThat(rows("select customer_id, order_id from public.latest_orders order by customer_id")).containsExactly(
                List.of(1L, 2L), List.of(2L, 4L), List.of(3L, 5L));
        assertThat(rows("select generated_number from public.series order by 1")).containsExactly(
                List.of(1L), List.of(2L), List.of(3L), List.of(4L), List.of(5L));
        assertThat((Double) rows("select kilometres from public.distances").get(0).get(0)).isCloseTo(430.1, within(0.5));
        assertThat(rows("select bucket from public.buckets order by v nulls last")).containsExactly(
                List.of(0L), List.of(1L), List.of(2L), List.of(5L), List.of(6L), java.util.Collections.singletonList(null));
        assertThat(rows("select id, host, path, utm_source from public.url_parts order by id")).containsExactly(
                List.of(1L, "www.example.com", "shop/cart", "news"), Arrays.asList(2L, "example.org", "", null),
                Arrays.asList(3L, "example.net", "a/b/", null));
        assertThat(rows("select * from public.introspected")).containsExactly(
                List.of("Paris", "events_2023,events_2024", 45L));
    }

    @Test
    void dateSpinesIncludeTheStartAndLeaveTheEndOut() {
        assertThat(rows("select cast(cast(date_day as date) as text) from public.day_spine order by 1")).containsExactly(
                List.of("2024-01-30"), List.of("2024-01-31"), List.of("2024-02-01"));
        assertThat(rows("select cast(cast(date_month as date) as text) from public.month_spine order by 1"))
                .containsExactly(List.of("2024-01-15"), List.of("2024-02-15"), List.of("2024-03-15"));
    }

    @Test
    void dbtDateNamesWeeksAndEpochs() {
        assertThat(project.text("{{ dbt_date.day_name(\"'2024-01-07'\") }}")).isEqualTo("Sun");
        assertThat(project.text("{{ dbt_date.day_name(\"'2024-01-07'\", short=false) }}")).isEqualTo("Sunday");
        assertThat(project.text("{{ dbt_date.month_name(\"'2024-09-07'\") }}")).isEqualTo("Sep");
        assertThat(project.text("{{ dbt_date.month_name(\"'2024-09-07'\", short=false) }}")).isEqualTo("September");
        assertThat(project.text("{{ dbt_date.day_of_week(\"'2022-03-06'\") }}")).isEqualTo("7");
        assertThat(project.text("{{ dbt_date.day_of_week(\"'2022-03-06'\", isoweek=False) }}")).isEqualTo("1");
        assertThat(project.text("{{ dbt_date.day_of_year(\"'2022-02-02'\") }}")).isEqualTo("33");
        assertThat(project.text("{{ dbt_date.week_start(\"'2024-01-10'\") }}")).isEqualTo("2024-01-07");
        assertThat(project.text("{{ dbt_date.iso_week_end(\"'2024-01-10'\") }}")).isEqualTo("2024-01-14");
        assertThat(project.text("{{ dbt_date.week_of_year(\"'2023-12-31'\") }}")).isEqualTo("53");
        assertThat(project.text("{{ dbt_date.iso_week_of_year(\"'2021-01-03'\") }}")).isEqualTo("53");
        assertThat(project.text("{{ dbt_date.from_unixtimestamp('1704067200') }}")).isEqualTo("2024-01-01 00:00:00");
        assertThat(project.text("{{ dbt_date.from_unixtimestamp('1704067200500', format='milliseconds') }}"))
                .isEqualTo("2024-01-01 00:00:00.5");
        assertThat(project.text("{{ dbt_date.to_unixtimestamp(\"'2024-01-01 00:00:01.9'\") }}")).isEqualTo("1704067201");
        assertThat(project.text("{{ dbt_date.convert_timezone(\"'2024-01-15 12:00:00'\", 'America/New_York', 'UTC') }}"))
                .isEqualTo("2024-01-15 07:00:00");
        assertThat(project.text("{{ dbt_date.round_timestamp(\"'2022-02-05 18:45:15'\") }}")).isEqualTo("2022-02-06 00:00:00");
        assertThat(project.text("{{ dbt_date.n_days_ago(7, date=\"'2024-03-01'\") }}")).isEqualTo("2024-02-23");
        assertThat(project.text("cast(extract(epoch from ({{ dbt_date.now() }} - timezone('UTC', now()))) / 60 as integer)"))
                .isEqualTo("540");
    }

    @Test
    void dbtDateDimensionHasTheDocumentedColumnsAndValues() {
        Map<String, Object> row = new LinkedHashMap<>();
        var table = project.engine().show(null, "select * from public.dim_date where date_day = date '2024-01-01'", -1);
        for (int i = 0; i < table.getColumn_names().size(); i++) {
            row.put(table.getColumn_names().get(i), plain(table.getRows().get(0).get(i)));
        }
        assertThat(rows("select count(*) from public.dim_date")).containsExactly(List.of(10L));
        assertThat(row).containsEntry("date_day", "2024-01-01").containsEntry("prior_year_over_year_date_day", "2023-01-02")
                .containsEntry("day_of_week", 2L).containsEntry("day_of_week_iso", 1L)
                .containsEntry("day_of_week_name", "Monday").containsEntry("week_start_date", "2023-12-31")
                .containsEntry("iso_week_end_date", "2024-01-07").containsEntry("month_name_short", "Jan")
                .containsEntry("month_end_date", "2024-01-31").containsEntry("quarter_end_date", "2024-03-31")
                .containsEntry("year_number", 2024L).hasSize(36);
    }
}
