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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_utils generic tests, called from properties files as {@code dbt_utils.<test>} (with inline
 * arguments or under {@code arguments:}): each passes on data that keeps its rule and fails, with the expected
 * failure count, on data that breaks it. One project, built once on a DuckDB file (and on PostgreSQL by
 * {@link BuiltinDbtUtilsTestsPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinDbtUtilsTestsTest {

    private Path project;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private Map<String, NodeResult> results;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeAll
    void buildAndTest(@TempDir Path directory) throws IOException {
        project = directory;
        write("dbt_project.yml", "name: checks\nprofile: checks\n");
        write("profiles.yml", profile());
        write("seeds/orders.csv", """
                id,customer_id,status,amount,total,currency,note,created_at
                1,1,placed,10,10,EUR,,2024-01-01
                2,1,shipped,20,20,EUR,,2024-01-02
                3,2,returned,-5,5,EUR,,2024-01-03
                4,3,placed,,0,EUR,,2024-01-05
                5,9,lost,7,7,EUR,,2024-01-06
                """);
        write("seeds/customers.csv", "id,name,country\n1,Ana,FR\n2,,FR\n3,Carl,DE\n4,\"  \",DE\n");
        write("seeds/statuses.csv", "status\nplaced\nshipped\nreturned\n");
        write("seeds/ranges.csv", "grp,lo,hi\na,0,1\na,1,2\na,2,3\nb,0,1\nb,2,3\nc,5,5\n");
        write("seeds/sequence.csv", "grp,n,day\nx,1,2024-01-01\nx,2,2024-01-02\nx,3,2024-01-03\ny,10,2024-01-05\n"
                + "y,12,2024-01-06\n");
        write("models/orders_copy.sql", "select * from {{ ref('orders') }}\n");
        write("models/orders_changed.sql", """
                select id, customer_id, status, case when id = 2 then 21 else amount end as amount, total, currency,
                    note, created_at
                from {{ ref('orders') }}
                """);
        write("models/orders_nearly.sql", """
                select id, customer_id, status, amount + 0.001 as amount, total, currency, note, created_at
                from {{ ref('orders') }}
                """);
        write("models/recent_events.sql", """
                select 'a' as grp, cast(current_timestamp as timestamp) - interval '2 hours' as happened_at
                union all
                select 'b', cast(current_timestamp as timestamp) - interval '10 days'
                """);
        write("seeds/_seeds.yml", """
                version: 2
                seeds:
                  - name: orders
                    data_tests:
                      - name: amount_not_negative
                        test_name: dbt_utils.expression_is_true
                        expression: "amount >= 0"
                      - dbt_utils.expression_is_true:
                          arguments:
                            expression: "total >= 0"
                      - name: amount_not_negative_except_returns
                        test_name: dbt_utils.expression_is_true
                        expression: "amount >= 0"
                        config:
                          where: "status <> 'returned'"
                      - name: customer_and_status_unique
                        test_name: dbt_utils.unique_combination_of_columns
                        combination_of_columns: [customer_id, status]
                      - name: customer_unique
                        test_name: dbt_utils.unique_combination_of_columns
                        combination_of_columns: [customer_id]
                        quote_columns: true
                      - name: rowcount_of_copy_per_status
                        test_name: dbt_utils.equal_rowcount
                        compare_model: ref('orders_copy')
                        group_by_columns: [status]
                      - name: rowcount_of_statuses
                        test_name: dbt_utils.equal_rowcount
                        compare_model: ref('statuses')
                      - name: fewer_than_customers
                        test_name: dbt_utils.fewer_rows_than
                        compare_model: ref('customers')
                      - name: equal_to_copy
                        test_name: dbt_utils.equality
                        compare_model: ref('orders_copy')
                      - name: equal_to_changed
                        test_name: dbt_utils.equality
                        compare_model: ref('orders_changed')
                      - name: equal_to_changed_on_id_and_status
                        test_name: dbt_utils.equality
                        compare_model: ref('orders_changed')
                        compare_columns: [id, status]
                      - name: equal_to_changed_without_amount
                        test_name: dbt_utils.equality
                        compare_model: ref('orders_changed')
                        exclude_columns: [amount]
                    columns:
                      - name: id
                        data_tests:
                          - dbt_utils.expression_is_true:
                              expression: "> 0"
                          - name: ids_sequential
                            test_name: dbt_utils.sequential_values
                      - name: amount
                        data_tests:
                          - name: amount_at_least_zero
                            test_name: dbt_utils.accepted_range
                            min_value: 0
                          - name: amount_within_bounds
                            test_name: dbt_utils.accepted_range
                            arguments: {min_value: -5, max_value: 20}
                          - name: amount_strictly_within_bounds
                            test_name: dbt_utils.accepted_range
                            min_value: -5
                            max_value: 20
                            inclusive: false
                          - name: amount_below_total
                            test_name: dbt_utils.accepted_range
                            max_value: total
                          - name: amount_mostly_known
                            test_name: dbt_utils.not_null_proportion
                            at_least: 0.8
                          - name: amount_nearly_always_known
                            test_name: dbt_utils.not_null_proportion
                            at_least: 0.9
                          - name: amount_nearly_always_known_per_status
                            test_name: dbt_utils.not_null_proportion
                            at_least: 0.9
                            group_by_columns: [status]
                          - name: some_amount
                            test_name: dbt_utils.at_least_one
                          - name: amount_varies
                            test_name: dbt_utils.not_constant
                      - name: note
                        data_tests:
                          - name: some_note
                            test_name: dbt_utils.at_least_one
                      - name: currency
                        data_tests:
                          - name: currency_varies
                            test_name: dbt_utils.not_constant
                      - name: status
                        data_tests:
                          - name: status_not_lost
                            test_name: dbt_utils.not_accepted_values
                            values: [lost, stolen]
                      - name: customer_id
                        data_tests:
                          - name: customer_exists
                            test_name: dbt_utils.relationships_where
                            to: ref('customers')
                            field: id
                          - name: customer_exists_unless_lost
                            test_name: dbt_utils.relationships_where
                            to: ref('customers')
                            field: id
                            from_condition: "status <> 'lost'"
                          - name: customer_in_france_unless_lost
                            test_name: dbt_utils.relationships_where
                            to: ref('customers')
                            field: id
                            from_condition: "status <> 'lost'"
                            to_condition: "country = 'FR'"
                          - name: customer_cardinality
                            test_name: dbt_utils.cardinality_equality
                            to: ref('customers')
                            field: id
                  - name: customers
                    data_tests:
                      - name: customers_fewer_than_orders
                        test_name: dbt_utils.fewer_rows_than
                        compare_model: ref('orders')
                    columns:
                      - name: name
                        data_tests:
                          - name: name_not_blank
                            test_name: dbt_utils.not_empty_string
                          - name: name_not_empty
                            test_name: dbt_utils.not_empty_string
                            trim_whitespace: false
                          - name: name_known_where_expected
                            test_name: dbt_utils.not_null_where
                            config:
                              where: "id <> 2"
                          - at_least_one
                  - name: ranges
                    data_tests:
                      - name: ranges_gaps_allowed
                        test_name: dbt_utils.mutually_exclusive_ranges
                        lower_bound_column: lo
                        upper_bound_column: hi
                        partition_by: grp
                      - name: ranges_zero_length_allowed
                        test_name: dbt_utils.mutually_exclusive_ranges
                        lower_bound_column: lo
                        upper_bound_column: hi
                        partition_by: grp
                        zero_length_range_allowed: true
                      - name: ranges_without_gaps
                        test_name: dbt_utils.mutually_exclusive_ranges
                        lower_bound_column: lo
                        upper_bound_column: hi
                        partition_by: grp
                        gaps: not_allowed
                        zero_length_range_allowed: true
                      - name: ranges_with_gaps
                        test_name: dbt_utils.mutually_exclusive_ranges
                        lower_bound_column: lo
                        upper_bound_column: hi
                        partition_by: grp
                        gaps: required
                        zero_length_range_allowed: true
                      - name: ranges_unpartitioned
                        test_name: dbt_utils.mutually_exclusive_ranges
                        lower_bound_column: lo
                        upper_bound_column: hi
                        zero_length_range_allowed: true
                  - name: sequence
                    columns:
                      - name: n
                        data_tests:
                          - name: n_sequential_per_group
                            test_name: dbt_utils.sequential_values
                            group_by_columns: [grp]
                          - name: n_sequential
                            test_name: dbt_utils.sequential_values
                          - name: n_by_two_per_group
                            test_name: dbt_utils.sequential_values
                            interval: 2
                            group_by_columns: [grp]
                      - name: day
                        data_tests:
                          - name: days_sequential_per_group
                            test_name: dbt_utils.sequential_values
                            datepart: day
                            group_by_columns: [grp]
                          - name: days_sequential
                            test_name: dbt_utils.sequential_values
                            datepart: day
                """);
        write("models/_models.yml", """
                version: 2
                models:
                  - name: orders_nearly
                    data_tests:
                      - name: nearly_equal_to_orders
                        test_name: dbt_utils.equality
                        compare_model: ref('orders')
                        precision: 2
                      - name: not_exactly_equal_to_orders
                        test_name: dbt_utils.equality
                        compare_model: ref('orders')
                  - name: recent_events
                    data_tests:
                      - name: recent_within_a_day
                        test_name: dbt_utils.recency
                        field: happened_at
                        datepart: day
                        interval: 1
                      - name: recent_within_a_day_per_group
                        test_name: dbt_utils.recency
                        field: happened_at
                        datepart: day
                        interval: 1
                        group_by_columns: [grp]
                      - name: recent_within_an_hour
                        test_name: dbt_utils.recency
                        field: happened_at
                        datepart: hour
                        interval: 1
                      - name: recent_by_date
                        test_name: dbt_utils.recency
                        field: happened_at
                        datepart: day
                        interval: 1
                        ignore_time_component: true
                """);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(environment())
                .withConsole(console::add))) {
            // seed, run, then test (not build, which would skip the models downstream of failing tests).
            List<NodeResult> all = new java.util.ArrayList<>(dbt.seed(Selection.ALL).results());
            all.addAll(dbt.run(Selection.ALL).results());
            all.addAll(dbt.test(Selection.ALL).results());
            results = all.stream().collect(Collectors.toMap(result -> result.node().name(), result -> result));
        }
    }

    /** The project's profiles.yml: a DuckDB file here; {@link BuiltinDbtUtilsTestsPostgresIT} runs it on PostgreSQL. */
    String profile() {
        return "checks:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: checks.duckdb\n      threads: 2\n";
    }

    Map<String, String> environment() {
        return Map.of();
    }

    @AfterAll
    void nothingLeftOpen() {
        assertThat(results).isNotEmpty();
    }

    private void assertOutcome(String test, Status status, int failures) {
        NodeResult result = results.get(test);
        assertThat(result).as(test + " in " + results.keySet()).isNotNull();
        assertThat(result.status()).as(test + ": " + result.message() + "\n" + String.join("\n", console))
                .isEqualTo(status);
        assertThat(result.failures()).as(test).isEqualTo(failures);
    }

    private void assertPasses(String... tests) {
        for (String test : tests) {
            assertOutcome(test, Status.PASS, 0);
        }
    }

    @Test
    void everyModelAndSeedIsBuilt() {
        assertThat(results.values()).filteredOn(result -> result.node().type() != fr.zlv.entrepot.dbt.graph.ResourceType.TEST)
                .allSatisfy(result -> assertThat(result.failed()).as(result.node().name() + ": " + result.message())
                        .isFalse())
                .hasSize(9);
    }

    @Test
    void expressionIsTrueOnTheModelOrTheColumnWithArgumentsInlineOrApart() {
        assertOutcome("amount_not_negative", Status.FAIL, 1);
        // Under arguments:, and on a column (the expression follows the column's name).
        assertPasses("dbt_utils_expression_is_true_orders_total_0", "dbt_utils_expression_is_true_orders_id___0");
        // The where config filters the rows before the test sees them.
        assertPasses("amount_not_negative_except_returns");
    }

    @Test
    void acceptedRangeWithInclusiveAndExclusiveBoundsOrAColumn() {
        assertOutcome("amount_at_least_zero", Status.FAIL, 1);
        assertPasses("amount_within_bounds", "amount_below_total");
        // -5 and 20 are outside the open range.
        assertOutcome("amount_strictly_within_bounds", Status.FAIL, 2);
    }

    @Test
    void uniqueCombinationOfColumnsCountsTheRepeatedCombinations() {
        assertPasses("customer_and_status_unique");
        assertOutcome("customer_unique", Status.FAIL, 1);
    }

    @Test
    void notNullProportionOverallAndPerGroup() {
        // 4 amounts of 5: 0.8.
        assertPasses("amount_mostly_known");
        assertOutcome("amount_nearly_always_known", Status.FAIL, 1);
        // Only 'placed' (1 of 2) is under 0.9.
        assertOutcome("amount_nearly_always_known_per_status", Status.FAIL, 1);
    }

    @Test
    void rowCountsCompareWithTheDifferenceAsFailureCount() {
        assertPasses("rowcount_of_copy_per_status", "customers_fewer_than_orders");
        // 5 orders, 3 statuses: fail_calc set by the test's macro counts the 2 rows of difference.
        assertOutcome("rowcount_of_statuses", Status.FAIL, 2);
        // 5 orders, 4 customers: 2 rows too many to be fewer.
        assertOutcome("fewer_than_customers", Status.FAIL, 2);
    }

    @Test
    void equalityComparesRowsOnChosenColumnsAndWithAPrecision() {
        assertPasses("equal_to_copy", "equal_to_changed_on_id_and_status", "equal_to_changed_without_amount",
                "nearly_equal_to_orders");
        // The changed row, once from each side.
        assertOutcome("equal_to_changed", Status.FAIL, 2);
        // Four amounts differ by 0.001 (the null one does not).
        assertOutcome("not_exactly_equal_to_orders", Status.FAIL, 8);
    }

    @Test
    void atLeastOneAndNotConstant() {
        assertPasses("some_amount", "amount_varies");
        assertOutcome("some_note", Status.FAIL, 1);
        assertOutcome("currency_varies", Status.FAIL, 1);
    }

    @Test
    void notAcceptedValuesAndNotEmptyString() {
        assertOutcome("status_not_lost", Status.FAIL, 1);
        // "  " is blank once trimmed, not empty; a null name is neither.
        assertOutcome("name_not_blank", Status.FAIL, 1);
        assertPasses("name_not_empty", "name_known_where_expected");
        // Without its namespace, as dbt finds a package's test.
        assertPasses("at_least_one_customers_name");
    }

    @Test
    void relationshipsWhereAndCardinalityEquality() {
        assertOutcome("customer_exists", Status.FAIL, 1);
        assertPasses("customer_exists_unless_lost");
        // Customer 3 is German: its order fails once the parents are French only.
        assertOutcome("customer_in_france_unless_lost", Status.FAIL, 1);
        // (1, 2 orders) and (9, 1) on one side, (1, 1) and (4, 1) on the other.
        assertOutcome("customer_cardinality", Status.FAIL, 4);
    }

    @Test
    void mutuallyExclusiveRangesWithEachGapsRule() {
        // c's range [5, 5] has no length.
        assertOutcome("ranges_gaps_allowed", Status.FAIL, 1);
        assertPasses("ranges_zero_length_allowed");
        // b's first range ends at 1, its next starts at 2.
        assertOutcome("ranges_without_gaps", Status.FAIL, 1);
        // a's first two ranges end where the next starts.
        assertOutcome("ranges_with_gaps", Status.FAIL, 2);
        // Without partition a's and b's ranges overlap: [0, 1] with [0, 1], [2, 3] with [2, 3].
        assertOutcome("ranges_unpartitioned", Status.FAIL, 2);
    }

    @Test
    void sequentialValuesOfNumbersAndDatesPerGroup() {
        assertPasses("ids_sequential", "days_sequential_per_group");
        assertOutcome("n_sequential_per_group", Status.FAIL, 1);
        assertOutcome("n_sequential", Status.FAIL, 2);
        assertOutcome("n_by_two_per_group", Status.FAIL, 2);
        // 2024-01-05 does not follow 2024-01-03.
        assertOutcome("days_sequential", Status.FAIL, 1);
    }

    @Test
    void recencyAgainstTheCurrentTime() {
        assertPasses("recent_within_a_day", "recent_by_date");
        assertOutcome("recent_within_a_day_per_group", Status.FAIL, 1);
        assertOutcome("recent_within_an_hour", Status.FAIL, 1);
    }

    @Test
    void everyTestIsAccountedFor() {
        assertThat(results.values()).filteredOn(result -> result.node().type() == fr.zlv.entrepot.dbt.graph.ResourceType.TEST)
                .hasSize(51);
    }
}
