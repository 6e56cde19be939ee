package fr.zlv.entrepot.semantic;

import static fr.zlv.entrepot.semantic.BiFixture.analyst;
import static fr.zlv.entrepot.semantic.BiFixture.code;
import static fr.zlv.entrepot.semantic.BiFixture.rows;
import static fr.zlv.entrepot.semantic.BiFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import graphql.introspection.IntrospectionQuery;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the GraphQL endpoint refuses, and how: depth and complexity bombs, bad documents, injection attempts. */
class GraphQlLimitsTest {

    @TempDir
    static Path dir;
    static SemanticApi api;

    @BeforeAll
    static void open() throws Exception {
        api = BiFixture.create(dir).open();
    }

    @AfterAll
    static void close() {
        api.close();
    }

    @Test
    void theStandardIntrospectionQueryIsAllowed() {
        GraphQlResponse response = run(api, analyst(), IntrospectionQuery.INTROSPECTION_QUERY);
        assertThat(response.httpStatus()).as("%s", response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContainKey("errors");
        assertThat(response.body().get("data").toString()).contains("HousingMeasure", "HousingRow", "vacancy_rate",
                "CampaignsDimensionInput", "KpisTimeRange");
    }

    @Test
    void aDepthBombIsRefusedBeforeItRuns() {
        StringBuilder query = new StringBuilder("{ __type(name: \"HousingRow\") { ");
        int depth = 30;
        query.append("ofType { ".repeat(depth)).append("name").append(" }".repeat(depth)).append(" } }");
        GraphQlResponse response = run(api, analyst(), query.toString());
        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.outcome()).isEqualTo("invalid");
        assertThat(code(response)).isEqualTo("TOO_COMPLEX");
        assertThat(BiFixture.message(response)).contains("depth");
    }

    @Test
    void aComplexityBombIsRefusedBeforeItRuns() {
        // Each cube query costs 10 and its fields 1 each: 60 aliased cube queries are far above the 200 allowed.
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 60; i++) {
            query.append(" q").append(i).append(": housing(measures: [count], limit: ").append(i + 1)
                    .append(") { rows { count } }");
        }
        query.append(" }");
        GraphQlResponse response = run(api, analyst(), query.toString());
        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("TOO_COMPLEX");
        assertThat(BiFixture.message(response)).contains("complexity");
        assertThat(response.rows()).as("nothing ran").isZero();
    }

    @Test
    void anUnparsableDocumentIsABadRequest() {
        GraphQlResponse response = run(api, analyst(), "{ housing(measures: [count] { rows ");
        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("GRAPHQL_PARSE_FAILED");
    }

    @Test
    void anUnknownMeasureOrFieldIsAValidationError() {
        GraphQlResponse measure = run(api, analyst(), "{ housing(measures: [pop]) { rows { count } } }");
        assertThat(measure.httpStatus()).isEqualTo(400);
        assertThat(code(measure)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        GraphQlResponse field = run(api, analyst(), "{ housing(measures: [count]) { rows { owner_name } } }");
        assertThat(field.httpStatus()).isEqualTo(400);
        assertThat(code(field)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
    }

    @Test
    void aVariableOfTheWrongTypeIsABadRequest() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("limit", "ten");
        GraphQlResponse response = api.execute(new GraphQlRequest(
                "query Q($limit: Int) { housing(measures: [count], limit: $limit) { rows { count } } }", "Q",
                variables), analyst());
        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
    }

    @Test
    void variablesAndOperationNamesWork() {
        GraphQlResponse response = api.execute(new GraphQlRequest("""
                query A { kpis(measures: [campaigns_sent]) { rows { campaigns_sent } } }
                query B($status: FilterValue) {
                  housing(measures: [count], filters: [{dimension: status, operator: EQUALS, value: $status}]) {
                    rows { count } } }""", "B", Map.of("status", "Non suivi")), analyst());
        assertThat(rows(response, "housing")).extracting(r -> r.get("count")).containsExactly(3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "\"; DROP TABLE housing; --", "Non suivi' OR 'a'='a",
            "75'); DELETE FROM housing; --", "\\'; SELECT * FROM owner_name --"})
    void injectionStringsInFilterValuesMatchNothing(String attempt) {
        for (String filter : List.of("{dimension: status, operator: EQUALS, value: $v}",
                "{dimension: status, operator: CONTAINS, value: $v}",
                "{dimension: territory, level: DEPARTEMENT, operator: IN, values: [$v]}",
                "{dimension: commune__zone, operator: NOT_EQUALS, value: $v}")) {
            GraphQlResponse response = api.execute(new GraphQlRequest("query($v: FilterValue!) { housing(measures:"
                    + " [count], filters: [" + filter + "]) { rows { count } } }", null, Map.of("v", attempt)), analyst());
            assertThat(response.httpStatus()).as("%s with %s: %s", filter, attempt, response.body()).isEqualTo(200);
            long expected = filter.contains("NOT_EQUALS") ? 8 : 0;
            assertThat(rows(response, "housing")).extracting(r -> r.get("count")).containsExactly(expected);
        }
        // The table is still there.
        assertThat(rows(run(api, analyst(), "{ housing(measures: [count]) { rows { count } } }"), "housing"))
                .extracting(r -> r.get("count")).containsExactly(8L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "\"; DROP TABLE housing; --", "2 OR 1=1", "1; DROP TABLE housing"})
    void injectionStringsInTypedValuesAreCleanUserErrors(String attempt) {
        for (String filter : List.of("{dimension: vacancy_years, operator: GT, value: $v}",
                "{dimension: changed_at, operator: LT, value: $v}", "{dimension: is_vacant, operator: EQUALS, value: $v}")) {
            GraphQlResponse response = api.execute(new GraphQlRequest("query($v: FilterValue!) { housing(measures:"
                    + " [count], filters: [" + filter + "]) { rows { count } } }", null, Map.of("v", attempt)), analyst());
            assertThat(code(response)).isEqualTo("BAD_USER_INPUT");
            String text = response.body().toString();
            assertThat(text).doesNotContainIgnoringCase("sql").doesNotContain("Parser Error")
                    .doesNotContain("Conversion Error").doesNotContain("SELECT");
        }
        GraphQlResponse range = run(api, analyst(), "{ housing(measures: [count], timeRange: {dimension: changed_at,"
                + " from: \"2024-01-01' OR 1=1 --\"}) { rows { count } } }");
        assertThat(code(range)).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void aRequestWithoutQueryIsABadRequest() {
        GraphQlResponse response = api.execute(new GraphQlRequest(" ", null, null), analyst());
        assertThat(response.httpStatus()).isEqualTo(400);
    }
}
