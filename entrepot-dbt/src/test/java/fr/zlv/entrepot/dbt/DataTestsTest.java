package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.dbt.run.NodeResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt's data tests: the four generic tests, custom and singular tests, their configs, test and build. */
class DataTestsTest {

    @TempDir
    Path project;

    private final List<String> console = new CopyOnWriteArrayList<>();

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aProjectWithTests() throws IOException {
        write("dbt_project.yml", """
                name: checked
                profile: checked
                on-run-start:
                  - "create schema if not exists raw"
                  - "create or replace table raw.events as select * from (values (1), (2), (null)) as t(id)"
                data_tests:
                  checked:
                    +tags: ["quality"]
                """);
        write("profiles.yml", "checked:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: checked.duckdb\n      threads: 2\n");
        write("seeds/customers.csv", "id,name,status\n1,Ana,active\n2,,active\n3,Carl,inactive\n4,Dana,active\n");
        write("seeds/orders.csv", "id,customer_id,status,amount\n1,1,placed,10\n2,1,shipped,20\n3,2,returned,-5\n"
                + "3,3,placed,\n4,9,lost,7\n");
        write("seeds/statuses.csv", "status\nplaced\nshipped\nreturned\n");
        write("seeds/properties.yml", """
                version: 2
                seeds:
                  - name: customers
                    columns:
                      - name: id
                        data_tests: [unique, not_null]
                      - name: name
                        tags: [pii]
                        data_tests:
                          - not_null
                          - name: name_known_for_early_customers
                            test_name: not_null
                            config:
                              where: "id <> 2"
                  - name: orders
                    data_tests:
                      - is_positive:
                          column_name: amount
                          config:
                            store_failures: true
                    columns:
                      - name: id
                        tests:
                          - unique
                          - name: unique_order_id_tolerant
                            test_name: unique
                            config:
                              warn_if: "> 0"
                              error_if: "> 1"
                      - name: status
                        tests:
                          - accepted_values:
                              values: [placed, shipped, returned]
                          - accepted_values:
                              arguments:
                                values: [placed, shipped, returned, lost]
                      - name: customer_id
                        data_tests:
                          - relationships:
                              to: ref('customers')
                              field: id
                          - relationships:
                              to: ref('customers')
                              field: id
                              limit: 0
                              severity: warn
                              enabled: false
                      - name: amount
                        data_tests:
                          - not_null:
                              severity: warn
                  - name: statuses
                    columns:
                      - name: status
                        data_tests: [unique, not_null]
                """);
        write("models/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    tables:
                      - name: events
                        columns:
                          - name: id
                            data_tests: [not_null]
                """);
        write("tests/generic/is_positive.sql", """
                {% test is_positive(model, column_name) %}
                select * from {{ model }} where {{ column_name }} <= 0
                {% endtest %}
                """);
        write("tests/no_order_without_status.sql", "select * from {{ ref('orders') }} where status is null\n");
        write("tests/amounts_are_small.sql", "{{ config(severity='warn', tags=['money']) }}\n"
                + "select * from {{ ref('orders') }} where amount > 15\n");
        write("models/order_totals.sql", "select customer_id, sum(amount) as total from {{ ref('orders') }} group by 1\n");
        write("models/known_statuses.sql", "select * from {{ ref('statuses') }}\n");
    }

    private DbtEngine load() {
        return DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(console::add));
    }

    private static Map<String, NodeResult> byName(DbtEngine.CommandResult result) {
        return result.results().stream().collect(Collectors.toMap(r -> r.node().name(), r -> r));
    }

    @Test
    void genericAndSingularTestsPassFailAndWarnWithTheirRowsCounted() {
        try (DbtEngine dbt = load()) {
            dbt.seed(Selection.ALL);
            DbtEngine.CommandResult result = dbt.test(Selection.ALL);
            Map<String, NodeResult> tests = byName(result);

            assertThat(tests.keySet()).containsExactlyInAnyOrder("unique_customers_id", "not_null_customers_id",
                    "not_null_customers_name", "name_known_for_early_customers", "is_positive_orders_amount",
                    "unique_orders_id", "unique_order_id_tolerant",
                    "accepted_values_orders_status__placed__shipped__returned",
                    "accepted_values_orders_status__placed__shipped__returned__lost",
                    "relationships_orders_customer_id__id__ref_customers_", "not_null_orders_amount",
                    "unique_statuses_status", "not_null_statuses_status", "source_not_null_raw_events_id",
                    "no_order_without_status", "amounts_are_small");
            assertOutcome(tests, "unique_customers_id", Status.PASS, 0);
            assertOutcome(tests, "not_null_customers_name", Status.FAIL, 1);
            assertOutcome(tests, "name_known_for_early_customers", Status.PASS, 0);
            assertOutcome(tests, "unique_orders_id", Status.FAIL, 1);
            assertOutcome(tests, "accepted_values_orders_status__placed__shipped__returned", Status.FAIL, 1);
            assertOutcome(tests, "accepted_values_orders_status__placed__shipped__returned__lost", Status.PASS, 0);
            assertOutcome(tests, "relationships_orders_customer_id__id__ref_customers_", Status.FAIL, 1);
            assertOutcome(tests, "not_null_orders_amount", Status.WARN, 1);
            assertOutcome(tests, "is_positive_orders_amount", Status.FAIL, 1);
            assertOutcome(tests, "source_not_null_raw_events_id", Status.FAIL, 1);
            assertOutcome(tests, "no_order_without_status", Status.PASS, 0);
            assertOutcome(tests, "amounts_are_small", Status.WARN, 1);
            assertThat(tests.get("relationships_orders_customer_id__id__ref_customers_").node().dependsOnNodes())
                    .containsExactly("seed.checked.orders", "seed.checked.customers");
            assertThat(result.exitCode()).isEqualTo(1);

            // store_failures keeps the failing rows in the audit schema.
            assertThat(dbt.adapter().query("select id, amount from main_dbt_test__audit.is_positive_orders_amount")
                    .getRows()).containsExactly(List.of(3L, -5L));
        }
        assertThat(String.join("\n", console))
                .containsPattern("FAIL 1 not_null_customers_name \\.+ \\[FAIL 1 in \\d+\\.\\d\\ds]")
                .containsPattern("PASS unique_customers_id \\.+ \\[PASS in")
                .containsPattern("WARN 1 not_null_orders_amount \\.+ \\[WARN 1 in")
                .contains("Failure in test not_null_customers_name (seeds/properties.yml)")
                .contains("Got 1 result, configured to fail if != 0")
                .contains("compiled code at target/compiled/checked/seeds/properties.yml/not_null_customers_name.sql")
                .contains("Warning in test not_null_orders_amount (seeds/properties.yml)")
                .contains("Done. PASS=7 WARN=3 ERROR=6 SKIP=0 TOTAL=16");
        assertThat(project.resolve("target/compiled/checked/seeds/properties.yml/not_null_customers_name.sql"))
                .content().isEqualToIgnoringWhitespace("select name from \"main\".\"customers\" where name is null");
    }

    private static void assertOutcome(Map<String, NodeResult> tests, String name, Status status, int failures) {
        NodeResult result = tests.get(name);
        assertThat(result).as(name).isNotNull();
        assertThat(result.status()).as(name + ": " + result.message()).isEqualTo(status);
        assertThat(result.failures()).as(name).isEqualTo(failures);
    }

    @Test
    void warnIfErrorIfLimitAndWhereChangeTheOutcome() throws IOException {
        try (DbtEngine dbt = load()) {
            dbt.seed(Selection.ALL);
            Map<String, NodeResult> tests = byName(dbt.test(Selection.of("orders")));
            // warn_if "> 0", error_if "> 1": one duplicate warns.
            assertOutcome(tests, "unique_order_id_tolerant", Status.WARN, 1);
            // enabled: false leaves the test out; a disabled test is listed as disabled in the manifest.
            assertThat(tests.values()).noneMatch(test -> test.node().config().string("severity", "").equals("warn")
                    && test.node().name().startsWith("relationships"));
            assertThat(dbt.project().manifest().disabled().values()).anyMatch(node -> node.name().startsWith("relation"));
        }
        write("seeds/more.yml", """
                version: 2
                seeds:
                  - name: statuses
                    data_tests:
                      - accepted_values:
                          column_name: status
                          values: [placed]
                          limit: 1
                  - name: orders
                    data_tests:
                      - name: status_is_shipped_counting_rows
                        test_name: accepted_values
                        column_name: status
                        values: [shipped]
                        config:
                          fail_calc: "coalesce(sum(n_records), 0)"
                """);
        try (DbtEngine dbt = load()) {
            dbt.seed(Selection.ALL);
            Map<String, NodeResult> tests = byName(dbt.test(Selection.of("statuses")));
            // Two values outside the list, counted only up to the limit.
            assertOutcome(tests, "accepted_values_statuses_status__placed", Status.FAIL, 1);
        }
        try (DbtEngine dbt = load()) {
            Map<String, NodeResult> tests = byName(dbt.test(Selection.of("status_is_shipped_counting_rows")));
            // Three values outside the list (placed twice, returned, lost): fail_calc counts their four rows.
            assertOutcome(tests, "status_is_shipped_counting_rows", Status.FAIL, 4);
        }
    }

    @Test
    void selectionPicksTestsByTheirModelTagNameAndType() {
        try (DbtEngine dbt = load()) {
            // dbt's eager indirect selection: a test comes with any of the nodes it reads (the relationships test
            // of orders reads customers).
            assertThat(names(dbt, "customers")).containsExactlyInAnyOrder("customers", "unique_customers_id",
                    "not_null_customers_id", "not_null_customers_name", "name_known_for_early_customers",
                    "relationships_orders_customer_id__id__ref_customers_");
            assertThat(names(dbt, "tag:pii")).containsExactlyInAnyOrder("not_null_customers_name",
                    "name_known_for_early_customers");
            assertThat(names(dbt, "test_name:accepted_values")).hasSize(2);
            assertThat(names(dbt, "test_type:singular")).containsExactlyInAnyOrder("no_order_without_status",
                    "amounts_are_small");
            assertThat(names(dbt, "tag:money")).containsExactly("amounts_are_small");
            // Project-level config (data_tests: +tags) reaches every test.
            assertThat(names(dbt, "tag:quality")).hasSize(16);
        }
    }

    private static List<String> names(DbtEngine dbt, String select) {
        return dbt.list(Selection.of(select), java.util.Set.of(), "name");
    }

    @Test
    void buildRunsTestsAfterTheirModelAndSkipsWhatIsBuiltOnFailedData() {
        try (DbtEngine dbt = load()) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);
            Map<String, NodeResult> nodes = byName(result);

            assertThat(nodes.get("order_totals").status()).isEqualTo(Status.SKIPPED);
            assertThat(nodes.get("known_statuses").status()).isEqualTo(Status.SUCCESS);
            assertThat(nodes.get("unique_statuses_status").executeEnded())
                    .isBeforeOrEqualTo(nodes.get("known_statuses").executeStarted());
            assertThat(nodes.get("unique_statuses_status").compileStarted())
                    .isAfterOrEqualTo(nodes.get("statuses").executeEnded());
            assertThat(result.exitCode()).isEqualTo(1);
        }
    }
}
