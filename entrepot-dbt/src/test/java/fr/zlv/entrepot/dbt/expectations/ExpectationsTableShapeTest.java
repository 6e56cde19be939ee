package fr.zlv.entrepot.dbt.expectations;

import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertFails;
import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertPasses;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_expectations tests of a model's shape (table_shape.sql) on DuckDB tables: its columns, their
 * types, its row counts (alone and against another model) and the recency of its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectationsTableShapeTest {

    private ExpectationsProject project;
    private Map<String, NodeResult> results;

    /** The project the tests run in: on a DuckDB file here, on PostgreSQL in the IT that extends this class. */
    ExpectationsProject newProject(Path projectDirectory) {
        return new ExpectationsProject(projectDirectory);
    }

    @BeforeAll
    void runTheTests(@TempDir Path directory) {
        project = newProject(directory)
                .model("orders", """
                        select
                            id,
                            cast(amount as decimal(10, 2)) as amount,
                            timezone('Europe/Paris', now()) - age_hours * interval '1 hour' as created_at,
                            cast(timezone('Europe/Paris', now()) as date) as day,
                            label
                        from (values (1, 10.5, 2, 'a'), (2, 20, 30, 'b'), (3, 7.25, 80, 'a')) as t(id, amount, age_hours, label)
                        """)
                .model("order_lines", """
                        select * from (values (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (4, 1)) as t(order_id, line)
                        """)
                .model("no_orders", "select * from {{ ref('orders') }} where false\n")
                // The latest row is 3 days old; a row dated in the future does not make it recent. The models' times
                // are taken in the project's time zone (dbt_date:time_zone), as the tests take now.
                .model("stale_events", """
                        select timezone('Europe/Paris', now()) - days * interval '1 day' as happened_at, kind
                        from (values (3, 'a'), (10, 'a'), (-2, 'b'), (20, 'b')) as t(days, kind)
                        """)
                .properties("""
                        version: 2
                        models:
                          - name: orders
                            data_tests:
                              - {name: five_columns, test_name: dbt_expectations.expect_table_column_count_to_equal, value: 5}
                              - {name: four_columns, test_name: dbt_expectations.expect_table_column_count_to_equal, value: 4}
                              - {name: two_to_four_columns, test_name: dbt_expectations.expect_table_column_count_to_be_between,
                                 min_value: 2, max_value: 4}
                              - {name: columns_match_set, test_name: dbt_expectations.expect_table_columns_to_match_set,
                                 column_list: [label, day, created_at, amount, id]}
                              - {name: columns_do_not_match_set, test_name: dbt_expectations.expect_table_columns_to_match_set,
                                 column_list: [id, amount, other]}
                              - {name: columns_contain_set, test_name: dbt_expectations.expect_table_columns_to_contain_set,
                                 column_list: [ID, other]}
                              - {name: columns_lack_set, test_name: dbt_expectations.expect_table_columns_to_not_contain_set,
                                 column_list: [other, label]}
                              - {name: columns_in_order, test_name: dbt_expectations.expect_table_columns_to_match_ordered_list,
                                 column_list: [id, amount, created_at, day, label]}
                              - {name: columns_out_of_order, test_name: dbt_expectations.expect_table_columns_to_match_ordered_list,
                                 column_list: [id, created_at, amount, day]}
                              - {name: three_rows, test_name: dbt_expectations.expect_table_row_count_to_equal, value: 3}
                              - {name: four_rows, test_name: dbt_expectations.expect_table_row_count_to_equal, value: 4}
                              - {name: two_rows_labelled_a, test_name: dbt_expectations.expect_table_row_count_to_equal,
                                 value: 2, row_condition: "label = 'a'"}
                              - {name: one_row_per_label, test_name: dbt_expectations.expect_table_row_count_to_equal,
                                 value: 1, group_by: [label]}
                              - {name: one_to_three_rows, test_name: dbt_expectations.expect_table_row_count_to_be_between,
                                 min_value: 1, max_value: 3}
                              - {name: strictly_one_to_three_rows, test_name: dbt_expectations.expect_table_row_count_to_be_between,
                                 min_value: 1, max_value: 3, strictly: true}
                              - {name: as_many_rows_as_lines, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table,
                                 compare_model: "ref('order_lines')"}
                              - {name: half_as_many_rows_as_lines, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table,
                                 compare_model: "ref('order_lines')", factor: 0.5}
                              - {name: as_many_rows_as_second_lines, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table,
                                 compare_model: "ref('order_lines')", compare_row_condition: "line = 2", row_condition: "id < 3"}
                              - {name: filtered_only_on_this_side, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table,
                                 compare_model: "ref('order_lines')", factor: 0.5, row_condition: "label = 'a'"}
                              - {name: recent_within_a_day, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: created_at, datepart: day, interval: 1}
                              - {name: recent_within_an_hour, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: created_at, datepart: hour, interval: 1}
                              - {name: recent_dates, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: day, datepart: day, interval: 2}
                            columns:
                              - name: id
                                data_tests:
                                  - {name: id_exists, test_name: dbt_expectations.expect_column_to_exist}
                                  - {name: id_is_first, test_name: dbt_expectations.expect_column_to_exist, column_index: 1}
                                  - {name: id_is_second, test_name: dbt_expectations.expect_column_to_exist, column_index: 2}
                                  - {name: id_integer, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: integer}
                                  - {name: id_int, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: int}
                                  - {name: id_text, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: varchar}
                              - name: ID
                                data_tests:
                                  - {name: upper_id_exists, test_name: dbt_expectations.expect_column_to_exist}
                                  - {name: upper_id_exists_by_its_case, test_name: dbt_expectations.expect_column_to_exist,
                                     transform: lower}
                              - name: missing_column
                                data_tests:
                                  - {name: missing_column_exists, test_name: dbt_expectations.expect_column_to_exist}
                                  - {name: missing_column_typed, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: varchar}
                              - name: amount
                                data_tests:
                                  - {name: amount_decimal, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: decimal}
                                  - {name: amount_decimal_10_2, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: "DECIMAL(10,2)"}
                                  - {name: amount_decimal_12_2, test_name: dbt_expectations.expect_column_values_to_be_of_type,
                                     column_type: "decimal(12,2)"}
                              - name: label
                                data_tests:
                                  - {name: label_text, test_name: dbt_expectations.expect_column_values_to_be_in_type_list,
                                     column_type_list: [integer, text]}
                                  - {name: label_number, test_name: dbt_expectations.expect_column_values_to_be_in_type_list,
                                     column_type_list: [integer, double]}
                          - name: order_lines
                            data_tests:
                              - {name: lines_twice_orders_per_order, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table,
                                 compare_model: "ref('orders')", group_by: [order_id], compare_group_by: [id], factor: 2}
                              - {name: lines_twice_orders, test_name: dbt_expectations.expect_table_row_count_to_equal_other_table_times_factor,
                                 compare_model: "ref('orders')", factor: 2}
                          - name: no_orders
                            data_tests:
                              - {name: no_orders_has_rows, test_name: dbt_expectations.expect_table_row_count_to_be_between,
                                 min_value: 1}
                              - {name: no_orders_has_no_rows, test_name: dbt_expectations.expect_table_row_count_to_equal,
                                 value: 0}
                              - {name: no_orders_is_recent, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: created_at, datepart: day, interval: 1}
                          - name: stale_events
                            data_tests:
                              - {name: events_within_2_days, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: happened_at, datepart: day, interval: 2}
                              - {name: events_within_a_week, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: happened_at, datepart: week, interval: 1}
                              - {name: b_events_within_a_week, test_name: dbt_expectations.expect_row_values_to_have_recent_data,
                                 column_name: happened_at, datepart: week, interval: 1, row_condition: "kind = 'b'"}
                              - {name: each_kind_within_a_week, test_name: dbt_expectations.expect_grouped_row_values_to_have_recent_data,
                                 group_by: [kind], timestamp_column: happened_at, datepart: day, interval: 7}
                              - {name: each_kind_within_a_month, test_name: dbt_expectations.expect_grouped_row_values_to_have_recent_data,
                                 group_by: [kind], timestamp_column: happened_at, datepart: month, interval: 1}
                        """)
                .vars(Map.of("dbt_date:time_zone", "Europe/Paris"));
        results = project.test();
    }

    @Test
    void columnsAreFoundByNameAndPosition() {
        assertPasses(results, "id_exists");
        assertPasses(results, "id_is_first");
        assertFails(results, "id_is_second", 1);
        assertPasses(results, "upper_id_exists");
        // Lower-cased, ID is id.
        assertPasses(results, "upper_id_exists_by_its_case");
        assertFails(results, "missing_column_exists", 1);
    }

    @Test
    void columnCountsAndListsAreCompared() {
        assertPasses(results, "five_columns");
        assertFails(results, "four_columns", 1);
        assertFails(results, "two_to_four_columns", 1);
        assertPasses(results, "columns_match_set");
        // other is missing; created_at, day and label are not listed.
        assertFails(results, "columns_do_not_match_set", 4);
        assertFails(results, "columns_contain_set", 1);
        assertFails(results, "columns_lack_set", 1);
        assertPasses(results, "columns_in_order");
        // amount and created_at swapped, and label not listed.
        assertFails(results, "columns_out_of_order", 3);
    }

    @Test
    void typesAreDuckDbsWithTheirSynonymsAndOptionalParameters() {
        assertPasses(results, "id_integer");
        assertPasses(results, "id_int");
        assertFails(results, "id_text", 1);
        assertPasses(results, "amount_decimal");
        assertPasses(results, "amount_decimal_10_2");
        assertFails(results, "amount_decimal_12_2", 1);
        assertPasses(results, "label_text");
        assertFails(results, "label_number", 1);
        assertFails(results, "missing_column_typed", 1);
    }

    @Test
    void rowCountsAreComparedForTheTableOrEachGroup() {
        assertPasses(results, "three_rows");
        assertFails(results, "four_rows", 1);
        assertPasses(results, "two_rows_labelled_a");
        // label a has two rows.
        assertFails(results, "one_row_per_label", 1);
        assertPasses(results, "one_to_three_rows");
        assertFails(results, "strictly_one_to_three_rows", 1);
        // An empty model has 0 rows: a count, not a missing value.
        assertFails(results, "no_orders_has_rows", 1);
        assertPasses(results, "no_orders_has_no_rows");
    }

    @Test
    void rowCountsAreComparedWithAnotherModelTimesAFactor() {
        assertFails(results, "as_many_rows_as_lines", 1);
        assertPasses(results, "half_as_many_rows_as_lines");
        // Orders 1 and 2 against the second lines (of orders 1 and 2).
        assertPasses(results, "as_many_rows_as_second_lines");
        // The row condition filters this model only: 2 rows against 6 lines times 0.5.
        assertFails(results, "filtered_only_on_this_side", 1);
        assertPasses(results, "lines_twice_orders");
        // Order 3 has one line, not two; order 4 has a line and no order.
        assertFails(results, "lines_twice_orders_per_order", 2);
        assertThat(project.compiled("lines_twice_orders_per_order")).contains(rowCountsJoinedBy());
    }

    /** How the row counts of the two models are put side by side: DuckDB joins them. */
    String rowCountsJoinedBy() {
        return "full outer join";
    }

    @Test
    void recentDataIsTheLatestPastValueWithinTheInterval() {
        assertPasses(results, "recent_within_a_day");
        assertFails(results, "recent_within_an_hour", 1);
        assertPasses(results, "recent_dates");
        // An empty model has no recent data.
        assertFails(results, "no_orders_is_recent", 1);
        // The latest past event is 3 days old; the one 2 days ahead does not count.
        assertFails(results, "events_within_2_days", 1);
        assertPasses(results, "events_within_a_week");
        // Of kind b, only a future event and one 20 days old.
        assertFails(results, "b_events_within_a_week", 1);
        assertFails(results, "each_kind_within_a_week", 1);
        assertPasses(results, "each_kind_within_a_month");
        // With dbt_date:time_zone set, now is taken in that zone.
        assertThat(project.compiled("recent_within_a_day")).contains("timezone('Europe/Paris', now())");
    }
}
