package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture shop project built end to end on DuckDB: rows, compiled SQL, incremental runs, failures. */
class ShopBuildTest {

    @TempDir
    Path temporary;

    @Test
    void buildsSeedsViewsEphemeralTablesAndACustomMaterialization() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);

            assertThat(result.exitCode()).as(shop.output()).isZero();
            // 3 seeds, 12 models, 1 snapshot, 5 data tests.
            assertThat(result.results()).hasSize(21).allMatch(r -> r.status() == NodeResult.Status.SUCCESS
                    || r.status() == NodeResult.Status.PASS);
            assertThat(rows(dbt, "select customer_id, full_name, order_count, lifetime_value::varchar,"
                    + " first_order_date::varchar from main_marts.customers order by 1")).containsExactly(
                    List.of(1L, "Amélie Martin", 2L, "40.0", "2024-01-05"),
                    List.of(2L, "Bruno Durand, Jr.", 1L, "0.0", "2024-02-02"),
                    List.of(3L, "Chloé Bernard", 2L, "12.5", "2024-02-14"),
                    List.of(4L, "David Petit", 1L, "40.0", "2024-03-03"));
            // The project's duckdb__safe_divide (rounded) wins over the package's: dispatch search order.
            assertThat(rows(dbt, "select order_id, voucher_share::varchar, currency from main_marts.orders"
                    + " where voucher_share > 0 order by 1")).containsExactly(
                    List.of(2L, "0.1667", "EUR"), List.of(6L, "1.0", "EUR"));
            assertThat(rows(dbt, "select month_start::varchar, revenue::varchar from main_marts.monthly_revenue"))
                    .containsExactly(List.of("2024-01-01", "40.0"), List.of("2024-02-01", "42.5"),
                            List.of("2024-03-01", "47.0"));
            // Seeds: quoted commas, a ';' delimiter, column_types.
            assertThat(rows(dbt, "select typeof(amount_cents) from main_raw.raw_payments limit 1"))
                    .containsExactly(List.of("INTEGER"));
            // Relation types: views in custom schemas (main_stg), tables, no relation for the ephemeral model.
            assertThat(rows(dbt, "select table_schema || '.' || table_name, table_type from information_schema.tables"
                    + " where table_schema like 'main_%' and table_name in ('stg_orders', 'int_order_payments',"
                    + " 'int_payment_methods', 'orders', 'utils_months') order by 1")).containsExactly(
                    List.of("main_int.int_order_payments", "VIEW"), List.of("main_marts.orders", "BASE TABLE"),
                    List.of("main_stg.stg_orders", "VIEW"), List.of("main_utils.utils_months", "BASE TABLE"));
            // Hooks: each mart's post-hook, the custom materialization's audit, on-run-end's log.
            assertThat(rows(dbt, "select model, row_count from main.build_audit where model in"
                    + " ('customers', 'orders', 'monthly_revenue:audited') order by 1")).containsExactly(
                    List.of("customers", 4L), List.of("monthly_revenue:audited", 3L), List.of("orders", 6L));
            assertThat(rows(dbt, "select nodes, failures from main.run_log")).containsExactly(List.of(21, 0));
            // persist_docs: descriptions and doc() blocks become comments.
            assertThat(rows(dbt, "select comment from duckdb_tables() where table_name = 'customers'"))
                    .containsExactly(List.of("One row per customer, with what they ordered."));
            assertThat(String.valueOf(rows(dbt, "select comment from duckdb_columns() where table_name = 'customers'"
                    + " and column_name = 'lifetime_value'").get(0).get(0))).startsWith("What a customer has paid for");
        }
        assertThat(shop.output()).contains("Done. PASS=21 WARN=0 ERROR=0 SKIP=0 TOTAL=21")
                .containsPattern("\\d\\d:\\d\\d:\\d\\d  \\d+ of 21 OK created sql table model main_marts.orders \\.+ "
                        + "\\[CREATE TABLE \\(6 rows\\) in \\d+\\.\\d\\ds]");
    }

    @Test
    void writesCompiledSqlWithEphemeralCtesAndRefsResolved() throws Exception {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
        }
        String compiled = shop.read("target/compiled/shop/models/intermediate/int_order_payments.sql");
        assertThat(compiled).startsWith("with __dbt__cte__int_payment_methods as (")
                .contains("sum(case when method = 'card' then amount else 0 end) as card_amount,")
                .containsPattern("as transfer_amount\\s+from \"main_stg\".\"stg_payments\"")
                .contains("),\norders as (\n    select * from \"main_stg\".\"stg_orders\"")
                .contains("select * from __dbt__cte__int_payment_methods")
                .doesNotContain("{{").doesNotContain("{%");
        assertThat(shop.read("target/compiled/shop/models/staging/stg_orders.sql"))
                .contains("where order_date >= date '2024-01-01'");
        assertThat(shop.read("target/compiled/shop/models/staging/stg_payments.sql"))
                .contains("round(amount_cents / 100.0, 2) as amount");
        assertThat(shop.read("target/compiled/shop/models/marts/orders.sql"))
                .contains("round(voucher_amount / nullif(amount, 0), 4) as voucher_share");
        assertThat(shop.read("target/run/shop/models/marts/orders.sql"))
                .contains("create or replace table \"main_marts\".\"orders__dbt_tmp\" as (")
                .contains("alter table \"main_marts\".\"orders__dbt_tmp\" rename to \"orders\"");
        assertThat(Files.exists(shop.directory.resolve("target/compiled/shop/models/intermediate/int_payment_methods.sql")))
                .isFalse();
    }

    @Test
    void incrementalModelsMergeDeleteInsertAndAppendOnTheSecondRun() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
            dbt.adapter().execute("update raw.events set kind = 'cancelled' where event_id = 4");
            dbt.adapter().execute("insert into raw.events values (5, 4, 'created', timestamp '2024-02-14 10:00:00')");

            DbtEngine.CommandResult second = dbt.run(Selection.of("config.materialized:incremental"));

            assertThat(second.results()).extracting(r -> r.node().name())
                    .containsExactlyInAnyOrder("order_events", "event_log", "daily_revenue");
            assertThat(second.result("order_events").message()).isEqualTo("INSERT 2");
            // merge: event 4 updated, event 5 added.
            assertThat(rows(dbt, "select event_id, kind from main_marts.order_events order by 1")).containsExactly(
                    List.of(1, "created"), List.of(2, "shipped"), List.of(3, "created"), List.of(4, "cancelled"),
                    List.of(5, "created"));
            // append: only the new event; event 4 keeps its old kind.
            assertThat(rows(dbt, "select event_id, kind from main_marts.event_log where event_id >= 4 order by 1"))
                    .containsExactly(List.of(4, "created"), List.of(5, "created"));
            // delete+insert on (order_date, status): the same six rows, not twelve.
            assertThat(rows(dbt, "select count(*) from main_marts.daily_revenue")).containsExactly(List.of(6L));
        }
    }

    @Test
    void fullRefreshRebuildsIncrementalModels() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
            dbt.adapter().execute("update raw.events set kind = 'cancelled' where event_id = 1");
        }
        try (DbtEngine dbt = DbtEngine.load(shop.options().withFullRefresh(true))) {
            DbtEngine.CommandResult result = dbt.run(Selection.of("event_log"));
            assertThat(result.result("event_log").message()).isEqualTo("CREATE TABLE (4 rows)");
            assertThat(rows(dbt, "select kind from main_marts.event_log where event_id = 1"))
                    .containsExactly(List.of("cancelled"));
        }
    }

    @Test
    void newColumnsAreAddedWhenOnSchemaChangeSaysAppendNewColumns() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
        }
        shop.write("models/marts/order_events.sql", shop.read("models/marts/order_events.sql")
                .replace("select event_id, order_id, kind, happened_at", "select event_id, order_id, kind, happened_at,"
                        + " upper(kind) as kind_label"));
        try (DbtEngine dbt = shop.load()) {
            DbtEngine.CommandResult result = dbt.run(Selection.of("order_events"));
            assertThat(result.exitCode()).as(shop.output()).isZero();
            assertThat(rows(dbt, "select event_id, kind_label from main_marts.order_events order by 1"))
                    .containsExactly(Arrays.asList(1, null), Arrays.asList(2, null), Arrays.asList(3, null),
                            Arrays.asList(4, "CREATED"));
        }
    }

    @Test
    void aFailingModelKeepsThePreviousTableAndSkipsOnlyItsDescendants() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
        }
        shop.write("models/marts/orders.sql", "select order_id, no_such_column from {{ ref('int_order_payments') }}\n");
        try (DbtEngine dbt = shop.load()) {
            DbtEngine.CommandResult result = dbt.run(Selection.ALL);

            assertThat(result.exitCode()).isEqualTo(1);
            NodeResult orders = result.result("orders");
            assertThat(orders.status()).isEqualTo(NodeResult.Status.ERROR);
            assertThat(orders.message()).contains("model shop.orders (models/marts/orders.sql)")
                    .contains("no_such_column").contains("(line 2 of the statement)")
                    .contains("target/run/shop/models/marts/orders.sql");
            assertThat(shop.read("target/run/shop/models/marts/orders.sql"))
                    .startsWith("create or replace table \"main_marts\".\"orders__dbt_tmp\" as (\nselect order_id, no_such_column");
            assertThat(result.results().stream().filter(r -> r.status() == NodeResult.Status.SKIPPED)
                    .map(r -> r.node().name()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("customers", "daily_revenue", "monthly_revenue");
            assertThat(result.result("order_events").status()).isEqualTo(NodeResult.Status.SUCCESS);
            // The previous orders table is intact, with its columns and rows; no staging table is left behind.
            assertThat(rows(dbt, "select count(*), count(voucher_share) from main_marts.orders"))
                    .containsExactly(List.of(6L, 6L));
            assertThat(rows(dbt, "select count(*) from information_schema.tables where table_name like '%__dbt_tmp'"))
                    .containsExactly(List.of(0L));
        }
        assertThat(shop.output()).contains("Completed with 1 error, 0 partial successes, and 0 warnings:").contains("Done. PASS=8 WARN=0 ERROR=1 SKIP=3 TOTAL=12");
    }

    @Test
    void failFastStopsAtTheFirstFailure() {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("models/staging/stg_events.sql", "select * from no_such_table\n");
        try (DbtEngine dbt = DbtEngine.load(shop.options().withFailFast(true).withThreads(1))) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);
            assertThat(result.count(NodeResult.Status.ERROR)).isEqualTo(1);
            assertThat(result.count(NodeResult.Status.SUCCESS)).isLessThan(14);
            assertThat(result.count(NodeResult.Status.SKIPPED)).isGreaterThan(2);
        }
    }

    @Test
    void nodesRunInParallelOnTheProfilesThreads() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);
            assertThat(dbt.threads()).isEqualTo(4);
            assertThat(result.results().stream().map(NodeResult::threadName).distinct().count()).isGreaterThan(1);
            // Dependency order held: every node started after its parents finished.
            for (NodeResult child : result.results()) {
                for (String parent : child.node().dependsOnNodes()) {
                    result.results().stream().filter(r -> r.node().uniqueId().equals(parent)).findFirst()
                            .ifPresent(up -> assertThat(up.executeEnded()).isBeforeOrEqualTo(child.executeStarted()));
                }
            }
        }
        try (DbtEngine dbt = DbtEngine.load(shop.options().withThreads(1))) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);
            assertThat(result.results().stream().map(NodeResult::threadName).distinct()).containsExactly("Thread-1");
        }
    }

    @Test
    void showReturnsAModelsFirstRowsWithoutBuildingIt() {
        ShopProject shop = ShopProject.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.seed(Selection.ALL);
            QueryTable table = dbt.show(Selection.of("stg_customers"), null, 2);
            assertThat(table.getColumn_names()).startsWith("customer_id", "first_name");
            assertThat(table.getRows()).hasSize(2);
            assertThat(dbt.adapter().find(null, "main_stg", "stg_customers")).isEmpty();
            assertThat(dbt.show(Selection.ALL, "select count(*) as n from {{ ref('raw_orders') }}", 5).getRows())
                    .containsExactly(List.of(7L));
        }
    }

    private static List<List<Object>> rows(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows().stream().map(row -> row.stream().map(ShopBuildTest::plain).toList())
                .toList();
    }

    /** DuckDB's JDBC types, flattened for comparison. */
    private static Object plain(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value;
    }
}
