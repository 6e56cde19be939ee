package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop project on a real PostgreSQL (a fresh database per test, dropped after): the same rows as on
 * DuckDB for every relation it builds, table swaps, incremental strategies, snapshots, seeds, tests and errors.
 */
class ShopPostgresIT {

    /** The snapshot's columns that hold the time of the run, which differs between two builds. */
    private static final Set<String> RUN_TIME_COLUMNS = Set.of("dbt_scd_id", "dbt_updated_at", "dbt_valid_from",
            "dbt_valid_to");

    /** What the marts' post-hooks and the custom materialization record. */
    private static final String AUDIT = "select model, row_count from main.build_audit order by 1";

    @TempDir
    Path temporary;
    private TestPostgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("shop_it");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void theShopGivesTheSameRowsOnPostgresqlAsOnDuckdb() {
        ShopProject onDuckDb = ShopProject.copy("shop", temporary.resolve("duckdb"));
        ShopProject onPostgres = ShopProject.copy("shop", temporary.resolve("postgres"));
        Map<String, List<List<String>>> duckRows;
        List<List<String>> duckAudit;
        try (DbtEngine dbt = onDuckDb.load()) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(onDuckDb.output()).isZero();
            duckRows = everyRelation(dbt);
            duckAudit = normalised(dbt, AUDIT);
        }
        try (DbtEngine dbt = DbtEngine.load(onPostgres.onPostgres(database))) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);

            assertThat(result.exitCode()).as(onPostgres.output()).isZero();
            assertThat(result.results()).hasSize(21).allMatch(r -> r.status() == NodeResult.Status.SUCCESS
                    || r.status() == NodeResult.Status.PASS);
            Map<String, List<List<String>>> pgRows = everyRelation(dbt);
            // 3 seeds, 12 models that are not ephemeral (one of the package), 1 snapshot: each compared, columns and rows.
            assertThat(pgRows.keySet()).hasSize(16).containsExactlyElementsOf(duckRows.keySet());
            for (String relation : duckRows.keySet()) {
                assertThat(pgRows.get(relation)).as(relation).hasSizeGreaterThan(1).isEqualTo(duckRows.get(relation));
            }
            // The hooks ran on PostgreSQL too: each mart's post-hook, the custom materialization, on-run-end.
            assertThat(normalised(dbt, AUDIT)).hasSize(7).contains(List.of("monthly_revenue:audited", "3"))
                    .isEqualTo(duckAudit);
            assertThat(normalised(dbt, "select nodes, failures from main.run_log")).containsExactly(List.of("21", "0"));
        }
        assertThat(onPostgres.output()).contains("Done. PASS=21 WARN=0 ERROR=0 SKIP=0 TOTAL=21");
        // The engine-specific SQL went through dispatch: PostgreSQL's month spine and safe_divide.
        assertThat(onPostgres.read("target/compiled/shop_utils/models/utils_months.sql")).contains("generate_series(0, 3 - 1)");
        assertThat(onPostgres.read("target/run/shop/models/marts/orders.sql"))
                .contains("drop table if exists \"" + database.name() + "\".\"main_marts\".\"orders__dbt_tmp\"")
                .contains("create table \"" + database.name() + "\".\"main_marts\".\"orders__dbt_tmp\" as (");
    }

    @Test
    void aFailingModelKeepsThePreviousTableAndItsMessageNamesTheModelTheFileAndPostgresqlsError() {
        ShopProject shop = ShopProject.copyTo(temporary);
        DbtEngine.Options options = shop.onPostgres(database);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
        }
        shop.write("models/marts/orders.sql", "select order_id, no_such_column from {{ ref('int_order_payments') }}\n");
        try (DbtEngine dbt = DbtEngine.load(options)) {
            DbtEngine.CommandResult result = dbt.run(Selection.ALL);

            assertThat(result.exitCode()).isEqualTo(1);
            NodeResult orders = result.result("orders");
            assertThat(orders.status()).isEqualTo(NodeResult.Status.ERROR);
            assertThat(orders.message()).contains("model shop.orders (models/marts/orders.sql)")
                    .contains("column \"no_such_column\" does not exist").contains("(line 2 of the statement)")
                    .contains("target/run/shop/models/marts/orders.sql").doesNotContain("ERROR:").doesNotContain("Position:");
            assertThat(result.results().stream().filter(r -> r.status() == NodeResult.Status.SKIPPED)
                    .map(r -> r.node().name()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("customers", "daily_revenue", "monthly_revenue");
            // The previous table is intact, with its columns and rows; no staging table is left behind.
            assertThat(normalised(dbt, "select count(*), count(voucher_share) from main_marts.orders"))
                    .containsExactly(List.of("6", "6"));
            assertThat(normalised(dbt, "select count(*) from pg_class where relname like '%dbt_tmp'"))
                    .containsExactly(List.of("0"));
        }
        assertThat(shop.output()).contains("Done. PASS=8 WARN=0 ERROR=1 SKIP=3 TOTAL=12");
    }

    @Test
    void rebuildingARelationAloneKeepsTheViewsBuiltOnIt() {
        ShopProject shop = ShopProject.copyTo(temporary);
        DbtEngine.Options options = shop.onPostgres(database);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
            // raw_orders (a seed table) <- stg_orders (a view) <- int_order_payments (a view on the view).
            assertThat(dbt.seed(Selection.of("raw_orders")).exitCode()).as(shop.output()).isZero();
            assertThat(normalised(dbt, "select count(*) from main_int.int_order_payments")).containsExactly(List.of("6"));
            assertThat(shop.read("target/run/shop/seeds/raw_orders.csv"))
                    .contains("drop table \"" + database.name() + "\".\"main_raw\".\"raw_orders\" cascade")
                    .contains("create view \"main_stg\".\"stg_orders\" as")
                    .contains("create view \"main_int\".\"int_order_payments\" as");
        }
        // A view whose columns change (a column put first) is replaced, and so are the views built on it.
        shop.write("models/staging/stg_orders.sql", shop.read("models/staging/stg_orders.sql")
                .replace("select\n    id as order_id,", "select\n    'web' as channel,\n    id as order_id,"));
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.run(Selection.of("stg_orders")).exitCode()).as(shop.output()).isZero();
            assertThat(normalised(dbt, "select channel, count(*) from main_stg.stg_orders group by 1"))
                    .containsExactly(List.of("web", "6"));
            assertThat(normalised(dbt, "select count(*) from main_int.int_order_payments")).containsExactly(List.of("6"));
        }
        // A change the views built on it cannot follow fails, naming the view, and leaves everything as it was.
        shop.write("models/staging/stg_orders.sql", "select id as order_id, customer_id from {{ ref('raw_orders') }}\n");
        try (DbtEngine dbt = DbtEngine.load(options)) {
            DbtEngine.CommandResult result = dbt.run(Selection.of("stg_orders"));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.result("stg_orders").message()).contains("model shop.stg_orders")
                    .contains("The view main_int.int_order_payments is built on main_stg.stg_orders")
                    .contains("does not exist");
            assertThat(normalised(dbt, "select channel, count(*) from main_stg.stg_orders group by 1"))
                    .containsExactly(List.of("web", "6"));
            assertThat(normalised(dbt, "select count(*) from main_int.int_order_payments")).containsExactly(List.of("6"));
        }
    }

    @Test
    void incrementalModelsMergeDeleteInsertAndAppendOnTheSecondRun() {
        ShopProject shop = ShopProject.copyTo(temporary);
        DbtEngine.Options options = shop.onPostgres(database);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
            dbt.adapter().execute("update raw.events set kind = 'cancelled' where event_id = 4");
            dbt.adapter().execute("insert into raw.events values (5, 4, 'created', timestamp '2024-02-14 10:00:00')");

            DbtEngine.CommandResult second = dbt.run(Selection.of("config.materialized:incremental"));

            assertThat(second.results()).extracting(r -> r.node().name())
                    .containsExactlyInAnyOrder("order_events", "event_log", "daily_revenue");
            assertThat(second.result("order_events").message()).isEqualTo("INSERT 2");
            assertThat(shop.read("target/run/shop/models/marts/order_events.sql")).contains("merge into \"");
            // merge: event 4 updated, event 5 added.
            assertThat(normalised(dbt, "select event_id, kind from main_marts.order_events order by 1")).containsExactly(
                    List.of("1", "created"), List.of("2", "shipped"), List.of("3", "created"), List.of("4", "cancelled"),
                    List.of("5", "created"));
            // append: only the new event; event 4 keeps its old kind.
            assertThat(normalised(dbt, "select event_id, kind from main_marts.event_log where event_id >= 4 order by 1"))
                    .containsExactly(List.of("4", "created"), List.of("5", "created"));
            // delete+insert on (order_date, status): the same six rows, not twelve.
            assertThat(normalised(dbt, "select count(*) from main_marts.daily_revenue")).containsExactly(List.of("6"));
        }
        // on_schema_change: append_new_columns adds the new column to the table, empty for the rows already there.
        shop.write("models/marts/order_events.sql", shop.read("models/marts/order_events.sql")
                .replace("select event_id, order_id, kind, happened_at", "select event_id, order_id, kind, happened_at,"
                        + " upper(kind) as kind_label"));
        try (DbtEngine dbt = DbtEngine.load(options)) {
            dbt.adapter().execute("insert into raw.events values (6, 5, 'created', timestamp '2024-03-01 10:00:00')");
            assertThat(dbt.run(Selection.of("order_events")).exitCode()).as(shop.output()).isZero();
            assertThat(normalised(dbt, "select event_id, kind_label from main_marts.order_events where event_id >= 4"
                    + " order by 1")).containsExactly(Arrays.asList("4", null), List.of("5", "CREATED"),
                    List.of("6", "CREATED"));
        }
        try (DbtEngine dbt = DbtEngine.load(options.withFullRefresh(true))) {
            DbtEngine.CommandResult result = dbt.run(Selection.of("event_log"));
            assertThat(result.result("event_log").message()).isEqualTo("CREATE TABLE (6 rows)");
            assertThat(normalised(dbt, "select kind from main_marts.event_log where event_id = 4"))
                    .containsExactly(List.of("cancelled"));
        }
    }

    @Test
    void snapshotsKeepEveryVersionAcrossRuns() {
        ShopProject shop = ShopProject.copyTo(temporary);
        DbtEngine.Options options = shop.onPostgres(database);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
        }
        shop.write("seeds/raw_orders.csv", shop.read("seeds/raw_orders.csv").replace("5,3,2024-03-01,placed",
                "5,3,2024-03-01,completed"));
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.seed(Selection.of("raw_orders")).exitCode()).as(shop.output()).isZero();
            assertThat(dbt.snapshot(Selection.ALL).exitCode()).as(shop.output()).isZero();
            assertThat(normalised(dbt, "select order_id, status, dbt_valid_to is null as current"
                    + " from snapshots.orders_snapshot where order_id = 5 order by dbt_valid_from"))
                    .containsExactly(List.of("5", "placed", "false"), List.of("5", "completed", "true"));
            assertThat(normalised(dbt, "select count(*), count(*) filter (where dbt_valid_to is null)"
                    + " from snapshots.orders_snapshot")).containsExactly(List.of("7", "6"));
            // A run without changes adds nothing.
            assertThat(dbt.snapshot(Selection.ALL).exitCode()).isZero();
            assertThat(normalised(dbt, "select count(*) from snapshots.orders_snapshot")).containsExactly(List.of("7"));
        }
    }

    @Test
    void seedsKeepQuotedValuesAndGetTheTypesOfTheirValues() {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("seeds/communes.csv", "\uFEFFcode,label,population,share,active,counted_on,updated_at,note,zip\n"
                + "01001,\"L'Abergement-Clémenciat\",832,0.125,true,2024-01-31,2024-01-31 10:00:00,,01400\n"
                + "2A004,\"Ajaccio, \"\"la cité\"\"\nimpériale\",71361,1e-2,FALSE,2024-02-29,2024-02-29T23:59:59.5,,20000\n");
        shop.write("seeds/_more_seeds.yml", "version: 2\nseeds:\n  - name: communes\n    config:\n      column_types:\n"
                + "        zip: varchar(5)\n");
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database))) {
            DbtEngine.CommandResult result = dbt.seed(Selection.of("communes"));
            assertThat(result.exitCode()).as(shop.output()).isZero();
            assertThat(result.result("communes").message()).isEqualTo("INSERT 2");

            assertThat(normalised(dbt, "select column_name, data_type from information_schema.columns"
                    + " where table_schema = 'main_raw' and table_name = 'communes' order by ordinal_position"))
                    .containsExactly(List.of("code", "text"), List.of("label", "text"), List.of("population", "bigint"),
                            List.of("share", "numeric"), List.of("active", "boolean"), List.of("counted_on", "date"),
                            List.of("updated_at", "timestamp without time zone"), List.of("note", "text"),
                            List.of("zip", "character varying"));
            assertThat(normalised(dbt, "select code, label, population, share, active, counted_on, updated_at, note, zip"
                    + " from main_raw.communes order by code")).containsExactly(
                    Arrays.asList("01001", "L'Abergement-Clémenciat", "832", "0.125", "true", "2024-01-31",
                            "2024-01-31T10:00", null, "01400"),
                    Arrays.asList("2A004", "Ajaccio, \"la cité\"\nimpériale", "71361", "0.01", "false", "2024-02-29",
                            "2024-02-29T23:59:59.500", null, "20000"));
            assertThat(shop.read("target/run/shop/seeds/communes.csv")).contains("copy \"__dbt_seed_communes__dbt_tmp\""
                    + " from stdin with (format csv, header true, delimiter ',', quote '\"', encoding 'UTF8')");
        }
    }

    @Test
    void failingTestsSayHowManyRowsFailedAndStoreThem() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database))) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
            dbt.adapter().execute("insert into main_marts.customers (customer_id, full_name) values (1, 'Twin'), (1, 'Triplet'),"
                    + " (null, 'Nobody')");
        }
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database).withStoreFailures(true))) {
            DbtEngine.CommandResult result = dbt.test(Selection.of("customers"));

            assertThat(result.exitCode()).isEqualTo(1);
            NodeResult unique = result.result("unique_customers_customer_id");
            assertThat(unique.status()).isEqualTo(NodeResult.Status.FAIL);
            assertThat(unique.failures()).isEqualTo(1);
            assertThat(unique.message()).isEqualTo("Got 1 result, configured to fail if != 0");
            assertThat(result.result("not_null_customers_customer_id").failures()).isEqualTo(1);
            assertThat(normalised(dbt, "select unique_field, n_records from main_dbt_test__audit.unique_customers_customer_id"))
                    .containsExactly(List.of("1", "3"));
        }
        assertThat(shop.output()).containsPattern("FAIL 1 unique_customers_customer_id \\.+ \\[FAIL 1 in \\d+\\.\\d\\ds]");
    }

    @Test
    void docsCatalogAndSourceFreshnessReadPostgresqlsCatalog() throws Exception {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("models/staging/_sources.yml", shop.read("models/staging/_sources.yml").replace(
                "        loaded_at_field: happened_at\n",
                "        loaded_at_field: happened_at\n        freshness:\n          warn_after: {count: 1, period: day}\n"));
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database))) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(shop.output()).isZero();
            fr.zlv.entrepot.dbt.docs.DocsResult docs = dbt.docs(true);

            com.fasterxml.jackson.databind.JsonNode catalog = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(docs.catalogFile().toFile());
            assertThat(catalog.get("errors").isNull()).isTrue();
            com.fasterxml.jackson.databind.JsonNode customers = catalog.at("/nodes/model.shop.customers");
            assertThat(customers.at("/metadata/type").asText()).isEqualTo("BASE TABLE");
            assertThat(customers.at("/metadata/database").asText()).isEqualTo(database.name());
            assertThat(customers.at("/metadata/comment").asText()).isEqualTo("One row per customer, with what they ordered.");
            assertThat(customers.at("/columns/lifetime_value/type").asText()).isEqualTo("numeric");
            assertThat(customers.at("/columns/lifetime_value/index").asInt()).isEqualTo(5);
            assertThat(customers.at("/columns/lifetime_value/comment").asText()).startsWith("What a customer has paid for");
            assertThat(catalog.at("/nodes/model.shop.stg_customers/metadata/type").asText()).isEqualTo("VIEW");
            assertThat(catalog.at("/nodes/seed.shop.raw_payments/columns/amount_cents/type").asText()).isEqualTo("integer");
            assertThat(catalog.at("/sources/source.shop.raw.events/columns/happened_at/type").asText())
                    .isEqualTo("timestamp without time zone");
            assertThat(docs.catalogued()).isEqualTo(docs.expected()).isEqualTo(17);

            List<fr.zlv.entrepot.dbt.run.SourceFreshness.Result> freshness = dbt.sourceFreshness(Selection.ALL);
            assertThat(freshness).singleElement().satisfies(result -> {
                assertThat(result.status()).isEqualTo("warn");
                assertThat(result.maxLoadedAt()).isEqualTo(java.time.Instant.parse("2024-02-02T08:15:00Z"));
            });
        }
    }

    @Test
    void jinjaAsksPostgresqlThroughRunQueryAndTheAdapterMethods() {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("models/marts/order_columns.sql", """
                {%- set orders = ref('orders') -%}
                {%- set found = adapter.get_relation(orders.database, orders.schema, orders.identifier) -%}
                {%- set statuses = dbt_utils.get_column_values(orders, 'status', order_by='status') -%}
                {%- set counted = run_query('select count(*) as n from ' ~ orders) -%}
                {%- for column in adapter.get_columns_in_relation(orders) %}
                select {{ loop.index }} as position, '{{ column.name }}' as name, '{{ column.data_type }}' as data_type,
                    {{ column.is_number() }} as is_number, {{ column.is_string() }} as is_string,
                    '{{ found.type if found else "missing" }}' as relation_type,
                    '{{ statuses | join(",") }}' as statuses, {{ counted.columns[0].values()[0] if execute else 0 }} as orders
                {{ "union all" if not loop.last }}
                {%- endfor %}
                """);
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database))) {
            assertThat(dbt.seed(Selection.ALL).exitCode()).as(shop.output()).isZero();
            assertThat(dbt.run(Selection.of("+order_columns")).exitCode()).as(shop.output()).isZero();
            assertThat(normalised(dbt, "select name, data_type, is_number, is_string, relation_type, statuses, orders"
                    + " from main_marts.order_columns order by position")).containsExactly(
                    List.of("order_id", "bigint", "true", "false", "table", "completed,placed,returned", "6"),
                    List.of("customer_id", "bigint", "true", "false", "table", "completed,placed,returned", "6"),
                    List.of("order_date", "date", "false", "false", "table", "completed,placed,returned", "6"),
                    List.of("status", "text", "false", "true", "table", "completed,placed,returned", "6"),
                    List.of("amount", "numeric", "true", "false", "table", "completed,placed,returned", "6"),
                    List.of("voucher_share", "numeric", "true", "false", "table", "completed,placed,returned", "6"),
                    List.of("currency", "text", "false", "true", "table", "completed,placed,returned", "6"));
        }
    }

    @Test
    void unitTestsRunOnPostgresql() {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("models/staging/_unit_tests.yml", """
                unit_tests:
                  - name: full_names_join_first_and_last
                    model: stg_customers
                    given:
                      - input: ref('raw_customers')
                        rows:
                          - {id: 1, first_name: Ana, last_name: Lima, city: Lyon}
                    expect:
                      rows:
                        - {customer_id: 1, full_name: Ana Lima}
                  - name: a_wrong_expectation_fails
                    model: stg_customers
                    given:
                      - input: ref('raw_customers')
                        rows:
                          - {id: 2, first_name: Bo, last_name: Ek, city: Nice}
                    expect:
                      rows:
                        - {customer_id: 2, full_name: Bo}
                """);
        try (DbtEngine dbt = DbtEngine.load(shop.onPostgres(database))) {
            assertThat(dbt.seed(Selection.ALL).exitCode()).as(shop.output()).isZero();
            DbtEngine.CommandResult result = dbt.test(Selection.of("stg_customers"));
            assertThat(result.result("full_names_join_first_and_last").status()).as(shop.output())
                    .isEqualTo(NodeResult.Status.PASS);
            assertThat(result.result("a_wrong_expectation_fails").status()).isEqualTo(NodeResult.Status.FAIL);
            assertThat(result.result("a_wrong_expectation_fails").message()).contains("+++,2,Bo Ek").contains("---,2,Bo");
        }
    }

    /** The rows of every relation the project builds (models that are not ephemeral, seeds, snapshots), sorted. */
    private static Map<String, List<List<String>>> everyRelation(DbtEngine dbt) {
        Map<String, List<List<String>>> rows = new LinkedHashMap<>();
        List<Node> nodes = dbt.project().manifest().nodes().values().stream()
                .filter(node -> Set.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT).contains(node.type())
                        && !node.isEphemeral())
                .sorted(Comparator.comparing(Node::uniqueId)).toList();
        for (Node node : nodes) {
            String relation = "\"" + node.schema() + "\".\"" + node.alias() + "\"";
            List<String> columns = dbt.adapter().columns(new fr.zlv.entrepot.dbt.adapter.Relation(null, node.schema(),
                    node.alias(), "table")).stream().map(column -> column.getName())
                    .filter(name -> !RUN_TIME_COLUMNS.contains(name)).toList();
            List<List<String>> table = new ArrayList<>();
            table.add(columns);
            table.addAll(normalised(dbt, "select " + columns.stream().map(name -> "\"" + name + "\"")
                    .collect(Collectors.joining(", ")) + " from " + relation).stream()
                    .sorted(Comparator.comparing(Object::toString)).toList());
            rows.put(node.uniqueId(), table);
        }
        return rows;
    }

    /** Rows with each value as text both engines agree on: numbers without trailing zeros, ISO dates and times. */
    static List<List<String>> normalised(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows().stream()
                .map(row -> row.stream().map(ShopPostgresIT::text).toList()).toList();
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString()).stripTrailingZeros();
            return decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime) {
            return value.toString();
        }
        return value.toString();
    }

    static List<List<Object>> rows(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows().stream()
                .map(row -> Arrays.asList(row.stream().map(value -> value instanceof BigDecimal decimal
                        ? decimal.toPlainString() : value).toArray())).toList();
    }
}
