package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_utils macros (SQL generators, introspection, helpers), each used by a model of one project
 * built once on a DuckDB file; each test reads the rows its model produced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinDbtUtilsTest {

    private Path project;

    private final List<String> console = new CopyOnWriteArrayList<>();
    private DbtEngine dbt;
    private DbtEngine.CommandResult build;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void model(String name, String sql) throws IOException {
        write("models/" + name + ".sql", sql);
    }

    @BeforeAll
    void buildTheProject(@TempDir Path directory) throws IOException {
        project = directory;
        write("dbt_project.yml", """
                name: utils
                profile: utils
                on-run-start:
                  - "create schema if not exists raw"
                  - "create or replace table raw.log_a as select 1 as id, 'a' as source_name"
                  - "create or replace table raw.log_b as select 2 as id, 10.5 as weight"
                  - "create or replace view raw.log_old as select 3 as id"
                  - "create or replace table raw.logbook as select 4 as id"
                """);
        write("profiles.yml", "utils:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: utils.duckdb\n      threads: 2\n");
        write("seeds/people.csv", "id,first_name,last_name,city,age,active\n1,Ana,Lopez,Paris,34,true\n"
                + "2,Ben,,Lyon,,false\n3,Chloé,Martin,Paris,28,true\n4,Dan,Roy,Nantes,45,true\n");
        write("seeds/orders.csv", "order_id,customer_id,status,amount,ordered_at\n1,1,placed,10,2024-01-01\n"
                + "2,1,shipped,20,2024-01-03\n3,2,returned,5,2024-01-02\n4,2,placed,7,2024-01-04\n"
                + "5,3,shipped,1,2024-01-01\n");
        write("seeds/events_2023.csv", "id,kind,amount\n1,click,2.5\n2,view,1\n");
        write("seeds/events_2024.csv", "channel,ID,kind\nweb,3,click\n");
        write("seeds/urls.csv", "id,url\n1,https://www.example.com:8080/shop/cart?utm_source=news&utm_medium=mail\n"
                + "2,http://example.org\n3,example.net/a/b/?x=1#top\n");

        model("surrogate_keys", """
                select id, {{ dbt_utils.generate_surrogate_key(['first_name', 'last_name']) }} as person_key
                from {{ ref('people') }}
                """);
        model("star_except", """
                select {{ dbt_utils.star(ref('people'), except=['AGE', 'active']) }} from {{ ref('people') }}
                """);
        model("star_renamed", """
                select {{ dbt_utils.star(from=ref('people'), relation_alias='p', except=['age', 'active', 'city'],
                    prefix='p_', suffix='_x') }}
                from {{ ref('people') }} as p
                """);
        model("unioned", """
                {{ dbt_utils.union_relations(relations=[ref('events_2023'), ref('events_2024')]) }}
                """);
        model("unioned_include", """
                {{ dbt_utils.union_relations([ref('events_2023'), ref('events_2024')], include=['id', 'KIND'],
                    column_override={'id': 'varchar'}, source_column_name=none, where="kind = 'click'") }}
                """);
        model("unioned_by_pattern", """
                {%- set relations = dbt_utils.get_relations_by_pattern('ra%', 'log\\\\_%', exclude='%old') -%}
                {{ dbt_utils.union_relations(relations, exclude=['weight']) }}
                """);
        model("pivoted", """
                select customer_id,
                {{ dbt_utils.pivot('status', dbt_utils.get_column_values(ref('orders'), 'status', order_by='status')) }}
                from {{ ref('orders') }}
                group by customer_id
                """);
        model("pivoted_amounts", """
                select customer_id,
                {{ dbt_utils.pivot('status', ['placed', 'Shipped Late'], agg='max', then_value='amount',
                    else_value='null', prefix='max ', quote_identifiers=false) }}
                from {{ ref('orders') }}
                group by customer_id
                """);
        model("unpivoted", """
                {{ dbt_utils.unpivot(ref('people'), exclude=['id'], remove=['first_name', 'last_name', 'age'],
                    field_name='attribute', value_name='val') }}
                """);
        model("day_spine", """
                {{ dbt_utils.date_spine('day', "cast('2024-01-30' as date)", "cast('2024-02-02' as date)") }}
                """);
        model("month_spine", """
                {{ dbt_utils.date_spine(datepart='month', start_date="cast('2024-01-15' as date)",
                    end_date="cast('2024-04-01' as date)") }}
                """);
        model("latest_orders", """
                {{ dbt_utils.deduplicate(ref('orders'), partition_by='customer_id', order_by='ordered_at desc') }}
                """);
        model("safe_math", """
                select {{ dbt_utils.safe_add(['a', 'b', 'c']) }} as total,
                    {{ dbt_utils.safe_subtract(['a', 'b']) }} as difference,
                    {{ dbt_utils.safe_divide('a', 'b') }} as ratio
                from (values (1, null, 2), (4, 0, null), (9, 3, 1)) as t(a, b, c)
                """);
        model("grouped", """
                select city, count(*) as people from {{ ref('people') }} {{ dbt_utils.group_by(1) }}
                """);
        model("series", "{{ dbt_utils.generate_series(upper_bound=5) }}\n");
        model("distances", """
                select {{ dbt_utils.haversine_distance(48.864716, 2.349014, 52.379189, 4.899431) }} as miles,
                    {{ dbt_utils.haversine_distance(lat1=48.864716, lon1=2.349014, lat2=52.379189, lon2=4.899431,
                        unit='km') }} as kilometres
                """);
        model("buckets", """
                select v, {{ dbt_utils.width_bucket('v', 0, 10, 5) }} as bucket
                from (values (-1), (0), (3.9), (9.99), (10), (null)) as t(v)
                """);
        model("introspected", """
                {%- set by_frequency = dbt_utils.get_column_values(ref('people'), 'city') -%}
                {%- set some = dbt_utils.get_column_values(table=ref('people'), column='city', order_by='city desc',
                    max_records=2, where='age is not null') -%}
                {%- set missing = dbt_utils.get_column_values(api.Relation.create(target.database, 'main', 'absent'),
                    'x', default=['fallback']) -%}
                {%- set columns = dbt_utils.get_filtered_columns_in_relation(from=ref('people'), except=['ID', 'age']) -%}
                {%- set by_prefix = dbt_utils.get_relations_by_prefix('raw', 'log') -%}
                {%- set results = dbt_utils.get_query_results_as_dict('select city, age from ' ~ ref('people')
                    ~ ' order by id') -%}
                select '{{ by_frequency[0] }}' as most_frequent_city,
                    {{ by_frequency | length }} as cities,
                    '{{ some | join(",") }}' as some_cities,
                    '{{ missing | join(",") }}' as missing,
                    '{{ columns | join(",") }}' as filtered_columns,
                    '{{ by_prefix | map(attribute="identifier") | join(",") }}' as by_prefix,
                    '{{ by_prefix | map(attribute="type") | join(",") }}' as types,
                    '{{ results["city"] | join(",") }}' as cities_in_order,
                    {{ dbt_utils.get_single_value("select max(age) from " ~ ref('people')) }} as oldest,
                    {{ dbt_utils.get_single_value("select 1 where false", default=-1) }} as no_row
                """);
        model("helpers", """
                select '{{ dbt_utils.slugify('Venmo App') }}' as venmo,
                    '{{ dbt_utils.slugify('ca$h-money') }}' as cash,
                    '{{ dbt_utils.slugify('2nd Place') }}' as second,
                    '{{ dbt_utils.pretty_log_format('hello') }}' as logged
                """);
        model("url_parts", """
                select id,
                    {{ dbt_utils.get_url_host('url') }} as host,
                    {{ dbt_utils.get_url_path(field='url') }} as path,
                    {{ dbt_utils.get_url_parameter('url', 'utm_source') }} as utm_source
                from {{ ref('urls') }}
                """);
        model("blanks", "select 1 as id, '' as label, 2.5 as weight union all select 2, 'x', null\n");
        model("nullchecked", "{{ dbt_utils.nullcheck_table(ref('blanks')) }}\n");
        model("too_many_values", """
                select {{ dbt_utils.get_single_value("select id from " ~ ref('people')) }} as id
                """);

        dbt = DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(console::add));
        build = dbt.build(Selection.ALL);
    }

    @AfterAll
    void close() {
        dbt.close();
    }

    /** The rows of a model, ordered by the given columns. */
    private List<List<Object>> rows(String sql) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : dbt.adapter().query(sql).getRows()) {
            rows.add(row.stream().map(BuiltinDbtUtilsTest::plain).toList());
        }
        return rows;
    }

    private static Object plain(Object value) {
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number number) {
            return number.longValue() == number.doubleValue() ? (Object) number.longValue() : number.doubleValue();
        }
        return value == null ? null : value.toString();
    }

    private List<String> columns(String model) {
        return dbt.adapter().query("select * from main." + model + " limit 0").getColumn_names();
    }

    private void assertBuilt(String model) {
        NodeResult result = build.result(model);
        assertThat(result.status()).as(model + ": " + result.message() + "\n" + String.join("\n", console))
                .isEqualTo(NodeResult.Status.SUCCESS);
    }

    private static String md5(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void generateSurrogateKeyHashesTheFieldsJoinedWithANullMarker() throws NoSuchAlgorithmException {
        assertBuilt("surrogate_keys");
        assertThat(rows("select id, person_key from main.surrogate_keys order by id")).containsExactly(
                List.of(1L, md5("Ana-Lopez")),
                List.of(2L, md5("Ben-_dbt_utils_surrogate_key_null_")),
                List.of(3L, md5("Chloé-Martin")),
                List.of(4L, md5("Dan-Roy")));
    }

    @Test
    void starListsTheColumnsWithoutTheExceptedOnesAliasedAndRenamed() {
        assertBuilt("star_except");
        assertThat(columns("star_except")).containsExactly("id", "first_name", "last_name", "city");
        assertBuilt("star_renamed");
        assertThat(columns("star_renamed")).containsExactly("p_id_x", "p_first_name_x", "p_last_name_x");
        assertThat(rows("select p_id_x, p_first_name_x from main.star_renamed order by 1").get(0))
                .containsExactly(1L, "Ana");
        assertThat(dbt.project().manifest().node("model.utils.star_renamed").compiledCode())
                .contains("p.\"id\" as \"p_id_x\",\np.\"first_name\" as \"p_first_name_x\"");
    }

    /** Loads a project of its own holding one model: for the errors dbt_utils raises while parsing. */
    private String parseError(String modelSql) throws IOException {
        Path other = Files.createTempDirectory(project, "broken");
        Files.writeString(other.resolve("dbt_project.yml"), "name: broken\nprofile: broken\n");
        Files.writeString(other.resolve("profiles.yml"), "broken:\n  target: dev\n  outputs:\n    dev:\n"
                + "      type: duckdb\n      path: broken.duckdb\n");
        Files.createDirectories(other.resolve("models"));
        Files.writeString(other.resolve("models/people.sql"), "select 1 as id\n");
        Files.writeString(other.resolve("models/broken.sql"), modelSql);
        try (DbtEngine broken = DbtEngine.load(DbtEngine.Options.of(other).withEnvironment(Map.of())
                .withConsole(line -> { }))) {
            return broken.build(Selection.ALL).result("broken").message();
        } catch (DbtException e) {
            return e.getMessage();
        }
    }

    @Test
    void starRejectsWhatIsNotARelation() throws IOException {
        assertThat(parseError("select {{ dbt_utils.star('people') }} from {{ ref('people') }}\n"))
                .contains("Macro dbt_utils.star expected a Relation but received the value: people");
    }

    @Test
    void unionRelationsAlignsColumnsByNameAndNamesEachRowsRelation() {
        assertBuilt("unioned");
        assertThat(columns("unioned")).containsExactly("_dbt_source_relation", "id", "kind", "amount", "channel");
        assertThat(rows("select _dbt_source_relation, id, kind, amount, channel from main.unioned order by id"))
                .containsExactly(
                        java.util.Arrays.asList("\"main\".\"events_2023\"", 1L, "click", 2.5, null),
                        java.util.Arrays.asList("\"main\".\"events_2023\"", 2L, "view", 1L, null),
                        java.util.Arrays.asList("\"main\".\"events_2024\"", 3L, "click", null, "web"));
    }

    @Test
    void unionRelationsKeepsIncludedColumnsWithOverriddenTypesAndFilters() {
        assertBuilt("unioned_include");
        assertThat(columns("unioned_include")).containsExactly("id", "kind");
        assertThat(rows("select id, kind, typeof(id) from main.unioned_include order by id")).containsExactly(
                List.of("1", "click", "VARCHAR"), List.of("3", "click", "VARCHAR"));
    }

    @Test
    void unionRelationsRefusesIncludeWithExclude() throws IOException {
        assertThat(parseError("{{ dbt_utils.union_relations([ref('people')], include=['id'], exclude=['x']) }}\n"))
                .contains("Both include and exclude arguments are provided to union_relations");
    }

    @Test
    void getRelationsByPatternFindsTablesAndViewsToUnion() {
        assertBuilt("unioned_by_pattern");
        // log\_% matches log_a and log_b (not logbook: the underscore is escaped); %old leaves log_old out.
        assertThat(rows("select _dbt_source_relation, id, source_name from main.unioned_by_pattern order by id"))
                .containsExactly(
                        List.of("\"utils\".\"raw\".\"log_a\"", 1L, "a"),
                        java.util.Arrays.asList("\"utils\".\"raw\".\"log_b\"", 2L, null));
        assertThat(columns("unioned_by_pattern")).doesNotContain("weight");
    }

    @Test
    void pivotTurnsValuesIntoAggregatedColumns() {
        assertBuilt("pivoted");
        assertThat(columns("pivoted")).containsExactly("customer_id", "placed", "returned", "shipped");
        assertThat(rows("select * from main.pivoted order by customer_id")).containsExactly(
                List.of(1L, 1L, 0L, 1L), List.of(2L, 1L, 1L, 0L), List.of(3L, 0L, 0L, 1L));
        assertBuilt("pivoted_amounts");
        assertThat(columns("pivoted_amounts")).containsExactly("customer_id", "max_placed", "max_shipped_late");
        assertThat(rows("select * from main.pivoted_amounts order by customer_id")).containsExactly(
                java.util.Arrays.asList(1L, 10L, null), java.util.Arrays.asList(2L, 7L, null),
                java.util.Arrays.asList(3L, null, null));
    }

    @Test
    void unpivotGivesOneRowPerColumnWithBooleansAsText() {
        assertBuilt("unpivoted");
        assertThat(columns("unpivoted")).containsExactly("id", "attribute", "val");
        assertThat(rows("select * from main.unpivoted where id <= 2 order by id, attribute")).containsExactly(
                List.of(1L, "active", "true"), List.of(1L, "city", "Paris"),
                List.of(2L, "active", "false"), List.of(2L, "city", "Lyon"));
    }

    @Test
    void dateSpineIncludesTheStartAndLeavesTheEndOut() {
        assertBuilt("day_spine");
        assertThat(rows("select cast(date_day as date) from main.day_spine order by 1")).containsExactly(
                List.of("2024-01-30"), List.of("2024-01-31"), List.of("2024-02-01"));
        assertBuilt("month_spine");
        assertThat(rows("select cast(date_month as date) from main.month_spine order by 1")).containsExactly(
                List.of("2024-01-15"), List.of("2024-02-15"), List.of("2024-03-15"));
    }

    @Test
    void deduplicateKeepsTheFirstRowOfEachPartition() {
        assertBuilt("latest_orders");
        assertThat(rows("select customer_id, order_id from main.latest_orders order by customer_id")).containsExactly(
                List.of(1L, 2L), List.of(2L, 4L), List.of(3L, 5L));
    }

    @Test
    void safeMathTreatsNullsAsZeroAndDivisionByZeroAsNull() {
        assertBuilt("safe_math");
        assertThat(rows("select total, difference, ratio from main.safe_math order by total")).containsExactly(
                java.util.Arrays.asList(3L, 1L, null),
                java.util.Arrays.asList(4L, 4L, null),
                java.util.Arrays.asList(13L, 6L, 3L));
    }

    @Test
    void groupByAndGenerateSeries() {
        assertBuilt("grouped");
        assertThat(rows("select city, people from main.grouped order by city")).containsExactly(
                List.of("Lyon", 1L), List.of("Nantes", 1L), List.of("Paris", 2L));
        assertBuilt("series");
        assertThat(rows("select generated_number from main.series order by 1")).containsExactly(
                List.of(1L), List.of(2L), List.of(3L), List.of(4L), List.of(5L));
    }

    @Test
    void haversineDistanceInMilesAndKilometres() {
        assertBuilt("distances");
        List<Object> row = rows("select miles, kilometres from main.distances").get(0);
        // Paris to Amsterdam: about 267 miles, 430 km.
        assertThat((Double) row.get(0)).isCloseTo(267.2, within(0.5));
        assertThat((Double) row.get(1)).isCloseTo(430.1, within(0.5));
    }

    @Test
    void widthBucketSplitsTheRangeIntoEqualBuckets() {
        assertBuilt("buckets");
        assertThat(rows("select bucket from main.buckets order by v nulls last")).containsExactly(
                List.of(0L), List.of(1L), List.of(2L), List.of(5L), List.of(6L), java.util.Collections.singletonList(null));
    }

    @Test
    void introspectiveMacrosReadTheWarehouse() {
        assertBuilt("introspected");
        assertThat(rows("select * from main.introspected").get(0)).containsExactly(
                "Paris", 3L, "Paris,Nantes", "fallback", "first_name,last_name,city,active",
                "log_a,log_b,log_old,logbook", "table,table,view,table", "Paris,Lyon,Paris,Nantes", 45L, -1L);
    }

    @Test
    void getSingleValueRefusesSeveralRows() {
        NodeResult result = build.result("too_many_values");
        assertThat(result.status()).isEqualTo(NodeResult.Status.ERROR);
        assertThat(result.message()).contains("expects one row of one column; the query returned 4 rows");
    }

    @Test
    void slugifyAndLogFormat() {
        assertBuilt("helpers");
        List<Object> row = rows("select * from main.helpers").get(0);
        assertThat(row.subList(0, 3)).containsExactly("venmo_app", "cah_money", "_2nd_place");
        assertThat((String) row.get(3)).matches("\\d\\d:\\d\\d:\\d\\d \\+ hello");
    }

    @Test
    void urlMacrosExtractHostPathAndParameter() {
        assertBuilt("url_parts");
        assertThat(rows("select id, host, path, utm_source from main.url_parts order by id")).containsExactly(
                List.of(1L, "www.example.com", "shop/cart", "news"),
                java.util.Arrays.asList(2L, "example.org", "", null),
                java.util.Arrays.asList(3L, "example.net", "a/b/", null));
    }

    @Test
    void nullcheckTableReadsEmptyStringsAsNull() {
        assertBuilt("nullchecked");
        assertThat(rows("select id, label, weight from main.nullchecked order by id")).containsExactly(
                java.util.Arrays.asList(1L, null, "2.5"), java.util.Arrays.asList(2L, "x", null));
    }
}
