package fr.zlv.entrepot.dbt.expectations;

import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertFails;
import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertPasses;

import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dbt_expectations tests of a column's aggregates (aggregates.sql) on a DuckDB table: one failure for
 * the table, or one per group_by group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectationsAggregatesTest {

    private Map<String, NodeResult> results;

    /** The project the tests run in: on a DuckDB file here, on PostgreSQL in the IT that extends this class. */
    ExpectationsProject newProject(Path projectDirectory) {
        return new ExpectationsProject(projectDirectory);
    }

    @BeforeAll
    void runTheTests(@TempDir Path directory) {
        // Amounts 10, 20, 5, 7 (and a null): 4 distinct, min 5, max 20, sum 42, mean 10.5, median 8.5.
        ExpectationsProject project = newProject(directory)
                .model("sales", """
                        select * from (values
                            ('north', 10), ('north', 20), ('south', 5), ('south', null), ('east', 7)
                        ) as t(region, amount)
                        """)
                .properties("""
                        version: 2
                        models:
                          - name: sales
                            columns:
                              - name: region
                                data_tests:
                                  - {name: three_regions, test_name: dbt_expectations.expect_column_distinct_count_to_equal,
                                     value: 3}
                                  - {name: two_regions, test_name: dbt_expectations.expect_column_distinct_count_to_equal,
                                     value: 2}
                                  - {name: more_than_two_regions, test_name: dbt_expectations.expect_column_distinct_count_to_be_greater_than,
                                     value: 2}
                                  - {name: more_than_three_regions, test_name: dbt_expectations.expect_column_distinct_count_to_be_greater_than,
                                     value: 3}
                                  - {name: fewer_than_four_regions, test_name: dbt_expectations.expect_column_distinct_count_to_be_less_than,
                                     value: 4}
                                  - {name: regions_in_set, test_name: dbt_expectations.expect_column_distinct_values_to_be_in_set,
                                     value_set: [north, south]}
                                  - {name: regions_contain_set, test_name: dbt_expectations.expect_column_distinct_values_to_contain_set,
                                     value_set: [north, west]}
                                  - {name: regions_equal_set, test_name: dbt_expectations.expect_column_distinct_values_to_equal_set,
                                     value_set: [north, south, west]}
                                  - {name: regions_equal_set_exactly, test_name: dbt_expectations.expect_column_distinct_values_to_equal_set,
                                     value_set: [east, north, south]}
                              - name: amount
                                data_tests:
                                  - {name: two_amounts_per_region, test_name: dbt_expectations.expect_column_distinct_count_to_equal,
                                     value: 2, group_by: [region]}
                                  - {name: amounts_between_3_and_4, test_name: dbt_expectations.expect_column_unique_value_count_to_be_between,
                                     min_value: 3, max_value: 4}
                                  - {name: amounts_all_different, test_name: dbt_expectations.expect_column_proportion_of_unique_values_to_be_between,
                                     min_value: 1}
                                  - {name: amounts_below_all_different, test_name: dbt_expectations.expect_column_proportion_of_unique_values_to_be_between,
                                     max_value: 1, strictly: true}
                                  - {name: min_at_least_5, test_name: dbt_expectations.expect_column_min_to_be_between,
                                     min_value: 5}
                                  - {name: min_at_least_6, test_name: dbt_expectations.expect_column_min_to_be_between,
                                     min_value: 6}
                                  - {name: min_at_least_6_per_region, test_name: dbt_expectations.expect_column_min_to_be_between,
                                     min_value: 6, group_by: [region]}
                                  - {name: max_up_to_20, test_name: dbt_expectations.expect_column_max_to_be_between,
                                     max_value: 20}
                                  - {name: max_below_20, test_name: dbt_expectations.expect_column_max_to_be_between,
                                     max_value: 20, strictly: true}
                                  - {name: mean_around_10, test_name: dbt_expectations.expect_column_mean_to_be_between,
                                     min_value: 10, max_value: 11}
                                  - {name: mean_of_north, test_name: dbt_expectations.expect_column_mean_to_be_between,
                                     min_value: 15, max_value: 15, row_condition: "region = 'north'"}
                                  - {name: median_above_9, test_name: dbt_expectations.expect_column_median_to_be_between,
                                     min_value: 9}
                                  - {name: sum_is_42, test_name: dbt_expectations.expect_column_sum_to_be_between,
                                     min_value: 42, max_value: 42}
                                  - {name: sum_per_region_below_20, test_name: dbt_expectations.expect_column_sum_to_be_between,
                                     max_value: 20, group_by: region}
                                  - {name: stdev_below_10, test_name: dbt_expectations.expect_column_stdev_to_be_between,
                                     max_value: 10}
                        """);
        results = project.test();
    }

    @Test
    void distinctCountsAreComparedForTheTableOrEachGroup() {
        assertPasses(results, "three_regions");
        assertFails(results, "two_regions", 1);
        assertPasses(results, "more_than_two_regions");
        assertFails(results, "more_than_three_regions", 1);
        assertPasses(results, "fewer_than_four_regions");
        // north has 2 amounts; south 1 (its null is not counted) and east 1.
        assertFails(results, "two_amounts_per_region", 2);
        assertPasses(results, "amounts_between_3_and_4");
        assertPasses(results, "amounts_all_different");
        assertFails(results, "amounts_below_all_different", 1);
    }

    @Test
    void distinctValuesAreComparedWithASet() {
        // east is not in the set.
        assertFails(results, "regions_in_set", 1);
        // west is missing from the column.
        assertFails(results, "regions_contain_set", 1);
        // east is not in the set and west is missing.
        assertFails(results, "regions_equal_set", 2);
        assertPasses(results, "regions_equal_set_exactly");
    }

    @Test
    void minMaxMeanMedianSumAndStdevAreCheckedAgainstTheirBounds() {
        assertPasses(results, "min_at_least_5");
        assertFails(results, "min_at_least_6", 1);
        // south's minimum is 5.
        assertFails(results, "min_at_least_6_per_region", 1);
        assertPasses(results, "max_up_to_20");
        assertFails(results, "max_below_20", 1);
        assertPasses(results, "mean_around_10");
        assertPasses(results, "mean_of_north");
        assertFails(results, "median_above_9", 1);
        assertPasses(results, "sum_is_42");
        // north sums to 30; group_by given as one column name.
        assertFails(results, "sum_per_region_below_20", 1);
        assertPasses(results, "stdev_below_10");
    }
}
