package fr.zlv.entrepot.dbt.expectations;

import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertFails;
import static fr.zlv.entrepot.dbt.expectations.ExpectationsProject.assertPasses;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.dbt.run.NodeResult.Status;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The built-in dbt_expectations tests over several columns (multi_column.sql) on a DuckDB table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectationsMultiColumnTest {

    private Map<String, NodeResult> results;

    /** The project the tests run in: on a DuckDB file here, on PostgreSQL in the IT that extends this class. */
    ExpectationsProject newProject(Path projectDirectory) {
        return new ExpectationsProject(projectDirectory);
    }

    @BeforeAll
    void runTheTests(@TempDir Path directory) {
        ExpectationsProject project = newProject(directory)
                .model("pairs", """
                        select * from (values
                            (1, 'x', 10, 5, 1),
                            (1, 'y', 10, 10, 2),
                            (1, 'x', 3, 1, 3),
                            (null, null, 4, 4, 4),
                            (null, null, 8, 2, 5),
                            (2, null, 6, 1, 6),
                            (2, null, 7, 3, 7)
                        ) as t(a, b, big, small, "Row Number")
                        """)
                .properties("""
                        version: 2
                        models:
                          - name: pairs
                            data_tests:
                              - {name: ab_unique, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, b]}
                              - {name: ab_unique_when_complete, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, b], ignore_row_if: any_value_is_missing}
                              - {name: ab_unique_nulls_included, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, b], ignore_row_if: never}
                              - {name: ab_unique_from_row_3, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, b], row_condition: '"Row Number" >= 3'}
                              - {name: quoted_key_unique, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, Row Number], quote_columns: true}
                              - {name: ab_bad_ignore_rule, test_name: dbt_expectations.expect_compound_columns_to_be_unique,
                                 column_list: [a, b], ignore_row_if: sometimes}
                              - {name: values_differ_within_row, test_name: dbt_expectations.expect_select_column_values_to_be_unique_within_record,
                                 column_list: [big, small]}
                              - {name: big_above_small, test_name: dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B,
                                 column_A: big, column_B: small}
                              - {name: big_at_least_small, test_name: dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B,
                                 column_A: big, column_B: small, or_equal: true}
                              - {name: big_equals_small, test_name: dbt_expectations.expect_column_pair_values_to_be_equal,
                                 column_A: big, column_B: small, row_condition: "a is null"}
                              - {name: sum_is_74, test_name: dbt_expectations.expect_multicolumn_sum_to_equal,
                                 column_list: [big, small], sum_total: 74}
                              - {name: sum_per_a_is_39, test_name: dbt_expectations.expect_multicolumn_sum_to_equal,
                                 column_list: [big, small], sum_total: 39, group_by: [a]}
                              - {name: big_is_positive, test_name: dbt_expectations.expression_is_true,
                                 expression: "big > 0"}
                              - {name: big_is_above_5, test_name: dbt_expectations.expression_is_true,
                                 expression: "big", test_condition: "> 5"}
                              - {name: big_sums_above_15_per_a, test_name: dbt_expectations.expression_is_true,
                                 expression: "sum(big)", test_condition: "> 15", group_by_columns: [a]}
                        """);
        results = project.test();
    }

    @Test
    void compoundKeysCountEachRepeatedCombinationOnce() {
        // (1, x) twice and (2, null) twice; the rows with both null are left out.
        assertFails(results, "ab_unique", 2);
        assertFails(results, "ab_unique_when_complete", 1);
        // (null, null) counts as a combination too.
        assertFails(results, "ab_unique_nulls_included", 3);
        // From row 3 on, only (2, null) repeats.
        assertFails(results, "ab_unique_from_row_3", 1);
        assertPasses(results, "quoted_key_unique");
        assertThat(results.get("ab_bad_ignore_rule").status()).isEqualTo(Status.ERROR);
        assertThat(results.get("ab_bad_ignore_rule").message()).contains("ignore_row_if must be");
    }

    @Test
    void columnPairsAreComparedRowByRow() {
        // Rows 2 and 4 repeat a value.
        assertFails(results, "values_differ_within_row", 2);
        assertFails(results, "big_above_small", 2);
        assertPasses(results, "big_at_least_small");
        // Of the rows where a is null, 8 is not 2.
        assertFails(results, "big_equals_small", 1);
    }

    @Test
    void columnSumsAreComparedForTheTableOrEachGroup() {
        assertPasses(results, "sum_is_74");
        // a = 1 sums to 39; a = 2 to 17 and a null to 18.
        assertFails(results, "sum_per_a_is_39", 2);
    }

    @Test
    void expressionsAreTestedPerRowOrPerGroup() {
        assertPasses(results, "big_is_positive");
        assertFails(results, "big_is_above_5", 2);
        // a = 1: 23, a = 2: 13, a null: 12.
        assertFails(results, "big_sums_above_15_per_a", 2);
    }
}
