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

/** The built-in dbt_expectations tests of a column's values, row by row (column_values.sql), on a DuckDB table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectationsColumnValuesTest {

    private Map<String, NodeResult> results;

    /** The project the tests run in: on a DuckDB file here, on PostgreSQL in the IT that extends this class. */
    ExpectationsProject newProject(Path projectDirectory) {
        return new ExpectationsProject(projectDirectory);
    }

    @BeforeAll
    void runTheTests(@TempDir Path directory) {
        ExpectationsProject project = newProject(directory)
                .model("items", """
                        select * from (values
                            (1, 5, 'AB-12', 'open'),
                            (2, 10, 'CD-34', 'closed'),
                            (3, null, 'ef-56', 'open'),
                            (4, 0, 'GH-7', null),
                            (5, 10, null, 'lost')
                        ) as t(id, score, code, status)
                        """)
                .properties("""
                        version: 2
                        models:
                          - name: items
                            columns:
                              - name: id
                                data_tests:
                                  - {name: id_unique, test_name: dbt_expectations.expect_column_values_to_be_unique}
                                  - {name: id_not_null, test_name: dbt_expectations.expect_column_values_to_not_be_null}
                                  - {name: id_in_numbers, test_name: dbt_expectations.expect_column_values_to_be_in_set,
                                     value_set: [1, 2, 3, 4], quote_values: false}
                                  - {name: id_increasing, test_name: dbt_expectations.expect_column_values_to_be_increasing}
                                  - {name: id_decreasing, test_name: dbt_expectations.expect_column_values_to_be_decreasing}
                              - name: score
                                data_tests:
                                  - dbt_expectations.expect_column_values_to_be_between:
                                      min_value: 0
                                      max_value: 10
                                  - {name: score_strictly_between, test_name: dbt_expectations.expect_column_values_to_be_between,
                                     min_value: 0, max_value: 10, strictly: true}
                                  - {name: score_at_least_6, test_name: dbt_expectations.expect_column_values_to_be_between,
                                     min_value: 6}
                                  - {name: score_at_most_9_first_three, test_name: dbt_expectations.expect_column_values_to_be_between,
                                     max_value: 9, row_condition: "id <= 3"}
                                  - {name: score_without_bounds, test_name: dbt_expectations.expect_column_values_to_be_between}
                                  - {name: score_unique, test_name: dbt_expectations.expect_column_values_to_be_unique}
                                  - {name: score_unique_where_small, test_name: dbt_expectations.expect_column_values_to_be_unique,
                                     row_condition: "score < 10"}
                                  - {name: score_increasing_by_id, test_name: dbt_expectations.expect_column_values_to_be_increasing,
                                     sort_column: id, strictly: false}
                                  - {name: score_increasing_by_id_per_status, test_name: dbt_expectations.expect_column_values_to_be_increasing,
                                     sort_column: id, group_by: [status]}
                              - name: code
                                data_tests:
                                  - {name: code_not_null, test_name: dbt_expectations.expect_column_values_to_not_be_null}
                                  - {name: code_null_for_5, test_name: dbt_expectations.expect_column_values_to_be_null,
                                     row_condition: "id = 5"}
                                  - {name: code_upper_pattern, test_name: dbt_expectations.expect_column_values_to_match_regex,
                                     regex: "^[A-Z]{2}-[0-9]{2}$"}
                                  - {name: code_pattern_any_case, test_name: dbt_expectations.expect_column_values_to_match_regex,
                                     regex: "^[a-z]{2}-[0-9]{2}$", flags: i}
                                  - {name: code_backslash_classes, test_name: dbt_expectations.expect_column_values_to_match_regex,
                                     regex: '^\\w{2}-\\d+$', is_raw: true}
                                  - {name: code_no_lower_case, test_name: dbt_expectations.expect_column_values_to_not_match_regex,
                                     regex: "[a-z]"}
                                  - {name: code_known_prefix, test_name: dbt_expectations.expect_column_values_to_match_regex_list,
                                     regex_list: ["^AB", "^CD"]}
                                  - {name: code_all_patterns, test_name: dbt_expectations.expect_column_values_to_match_regex_list,
                                     regex_list: ["-", "^[A-Z]"], match_on: all}
                                  - {name: code_no_bad_prefix, test_name: dbt_expectations.expect_column_values_to_not_match_regex_list,
                                     regex_list: ["^AB", "^ZZ"]}
                                  - {name: code_like_two_digits, test_name: dbt_expectations.expect_column_values_to_match_like_pattern,
                                     like_pattern: "%-__"}
                                  - {name: code_not_like_x, test_name: dbt_expectations.expect_column_values_to_not_match_like_pattern,
                                     like_pattern: "%X%"}
                                  - {name: code_like_list, test_name: dbt_expectations.expect_column_values_to_match_like_pattern_list,
                                     like_pattern_list: ["AB%", "%-7"]}
                                  - {name: code_length_5, test_name: dbt_expectations.expect_column_value_lengths_to_equal,
                                     value: 5}
                                  - {name: code_length_4_to_5, test_name: dbt_expectations.expect_column_value_lengths_to_be_between,
                                     min_value: 4, max_value: 5}
                                  - {name: code_length_over_4, test_name: dbt_expectations.expect_column_value_lengths_to_be_between,
                                     min_value: 4, strictly: true}
                              - name: status
                                data_tests:
                                  - {name: status_in_set, test_name: dbt_expectations.expect_column_values_to_be_in_set,
                                     value_set: [open, closed]}
                                  - {name: status_in_set_when_known, test_name: dbt_expectations.expect_column_values_to_be_in_set,
                                     value_set: [open, closed, lost], row_condition: "status is not null"}
                                  - {name: status_not_lost, test_name: dbt_expectations.expect_column_values_to_not_be_in_set,
                                     value_set: [lost, "it's gone"]}
                                  - {name: status_not_archived, test_name: dbt_expectations.expect_column_values_to_not_be_in_set,
                                     value_set: [archived]}
                                  - {name: status_null, test_name: dbt_expectations.expect_column_values_to_be_null}
                        """);
        results = project.test();
    }

    @Test
    void betweenCountsRowsOutsideTheBoundsAndLetsNullsPass() {
        // Written as most projects do (- dbt_expectations.expect_...: {arguments}), the test takes dbt's long name:
        // the first 30 characters and a hash.
        String generated = results.keySet().stream().filter(name -> name.startsWith("dbt_expectations_expect_column_"))
                .findFirst().orElseThrow();
        assertPasses(results, generated);
        // 0, 10 and 10 are on the bounds, which strictly excludes.
        assertFails(results, "score_strictly_between", 3);
        assertFails(results, "score_at_least_6", 2);
        // Rows 1 to 3 only: 10 is above 9, the null passes.
        assertFails(results, "score_at_most_9_first_three", 1);
        assertThat(results.get("score_without_bounds").status()).isEqualTo(Status.ERROR);
        assertThat(results.get("score_without_bounds").message()).contains("give min_value, max_value or both");
    }

    @Test
    void setsCountTheRowsInOrOutOfTheirValues() {
        // 'lost' and the null status are not in the set.
        assertFails(results, "status_in_set", 2);
        assertPasses(results, "status_in_set_when_known");
        // Unquoted values compare as numbers: id 5 is out.
        assertFails(results, "id_in_numbers", 1);
        assertFails(results, "status_not_lost", 1);
        assertPasses(results, "status_not_archived");
    }

    @Test
    void nullTestsCountTheNullsOrTheValues() {
        assertPasses(results, "id_not_null");
        assertFails(results, "code_not_null", 1);
        assertPasses(results, "code_null_for_5");
        assertFails(results, "status_null", 4);
    }

    @Test
    void uniquenessCountsEachDuplicatedValueOnceAndIgnoresNulls() {
        assertPasses(results, "id_unique");
        assertFails(results, "score_unique", 1);
        assertPasses(results, "score_unique_where_small");
    }

    @Test
    void regexesMatchAnywhereWithDuckDbFlagsAndBackslashesKept() {
        // ef-56 (lower case) and GH-7 (one digit) fail; the null passes.
        assertFails(results, "code_upper_pattern", 2);
        assertFails(results, "code_pattern_any_case", 1);
        assertPasses(results, "code_backslash_classes");
        assertFails(results, "code_no_lower_case", 1);
        assertFails(results, "code_known_prefix", 2);
        assertFails(results, "code_all_patterns", 1);
        assertFails(results, "code_no_bad_prefix", 1);
    }

    @Test
    void likePatternsCountTheRowsThatDoNotFit() {
        assertFails(results, "code_like_two_digits", 1);
        assertPasses(results, "code_not_like_x");
        // AB-12 and GH-7 fit one pattern; CD-34 and ef-56 neither.
        assertFails(results, "code_like_list", 2);
    }

    @Test
    void lengthsCountTheRowsOfAnotherLength() {
        assertFails(results, "code_length_5", 1);
        assertPasses(results, "code_length_4_to_5");
        assertFails(results, "code_length_over_4", 1);
    }

    @Test
    void orderTestsCompareEachValueWithThePreviousOne() {
        assertPasses(results, "id_increasing");
        assertFails(results, "id_decreasing", 4);
        // By id, scores are 5, 10, (null left out), 0, 10: only 0 goes down.
        assertFails(results, "score_increasing_by_id", 1);
        // Per status: open has 5 then null (left out); closed, lost and the null status one row each.
        assertPasses(results, "score_increasing_by_id_per_status");
    }
}
