package fr.zlv.entrepot.semantic;

import static fr.zlv.entrepot.semantic.BiFixture.analyst;
import static fr.zlv.entrepot.semantic.BiFixture.code;
import static fr.zlv.entrepot.semantic.BiFixture.message;
import static fr.zlv.entrepot.semantic.BiFixture.rows;
import static fr.zlv.entrepot.semantic.BiFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every measure kind, dimension kind, time grain and filter operator, through GraphQL on a real DuckDB file, against
 * values computed by hand from {@link BiFixture#HOUSING}.
 */
class SemanticQueriesTest {

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

    private static Map<String, Object> single(String query, String cube) {
        List<Map<String, Object>> rows = rows(run(api, analyst(), query), cube);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void eachMeasureKindAggregatesTheWholeTable() {
        Map<String, Object> row = single("""
                { housing(measures: [count, vacant_count, vacancy_rate, owners, rental_value, avg_area, min_years,
                                     max_years, first_change]) {
                    rows { count vacant_count vacancy_rate owners rental_value avg_area min_years max_years first_change }
                } }""", "housing");
        assertThat(row.get("count")).isEqualTo(8L);
        assertThat(row.get("vacant_count")).as("filtered count: is_vacant").isEqualTo(6L);
        assertThat(row.get("vacancy_rate")).as("ratio 6 / 8").isEqualTo(0.75);
        assertThat(row.get("owners")).as("count_distinct of o1..o6").isEqualTo(6L);
        assertThat(row.get("rental_value")).as("sum, null skipped").isEqualTo(3000L);
        assertThat((Double) row.get("avg_area")).as("avg of 7 areas").isCloseTo(450.0 / 7, within(1e-9));
        assertThat(row.get("min_years")).isEqualTo(0L);
        assertThat(row.get("max_years")).isEqualTo(10L);
        assertThat(row.get("first_change")).as("min of a date").isEqualTo("2023-12-31");
    }

    @Test
    void categoricalDimensionGroupsAndOrdersByItsValues() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [count, vacant_count], dimensions: [{dimension: status}]) {
                    rows { status count vacant_count } } }"""), "housing");
        assertThat(rows).extracting(r -> r.get("status"), r -> r.get("count"), r -> r.get("vacant_count"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("En attente de retour", 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple("Non suivi", 3L, 2L),
                        org.assertj.core.groups.Tuple.tuple("Premier contact", 2L, 1L),
                        org.assertj.core.groups.Tuple.tuple("Suivi bloqué", 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple("Suivi en cours", 1L, 1L));
    }

    @Test
    void booleanAndNumberDimensionsKeepTheirTypes() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: is_vacant}, {dimension: status_code}]) {
                    rows { is_vacant status_code count } } }"""), "housing");
        assertThat(rows).extracting(r -> r.get("is_vacant") + "/" + r.get("status_code") + "=" + r.get("count"))
                .containsExactly("false/0=1", "false/2=1", "true/0=2", "true/1=1", "true/2=1", "true/3=1", "true/5=1");
        assertThat(rows.get(0).get("is_vacant")).isInstanceOf(Boolean.class);
        assertThat(rows.get(0).get("status_code")).isInstanceOf(Long.class);
    }

    @ParameterizedTest(name = "level {0}")
    @CsvSource(delimiter = '|', value = {
            "COMMUNE     | 13055:Marseille:1, 33063:Bordeaux:2, 75101:Paris 1er:1, 75102:Paris 2e:2, 92002:Antony:2",
            "EPCI        | E13:null:1, E33:null:2, E75:null:3, E92:null:2",
            "DEPARTEMENT | 13:Bouches-du-Rhône:1, 33:Gironde:2, 75:Paris:3, 92:Hauts-de-Seine:2",
            "REGION      | 11:null:5, 75:null:2, 93:null:1"})
    void geographicDimensionGroupsAtTheLevelAsked(String level, String expected) {
        List<Map<String, Object>> rows = rows(run(api, analyst(), "{ housing(measures: [count], dimensions:"
                + " [{dimension: territory, level: " + level + "}]) { rows { territory { level code name } count } } }"),
                "housing");
        List<String> seen = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> territory = (Map<String, Object>) row.get("territory");
            assertThat(territory.get("level")).isEqualTo(level);
            seen.add(territory.get("code") + ":" + territory.get("name") + ":" + row.get("count"));
        }
        assertThat(seen).containsExactlyElementsOf(Arrays.stream(expected.split(",")).map(String::trim).toList());
    }

    @Test
    void geographicDimensionWithoutLevelUsesItsFinest() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: territory}]) { rows { territory { level code } } } }"""),
                "housing");
        assertThat(rows).hasSize(5).allSatisfy(row -> assertThat(((Map<?, ?>) row.get("territory")).get("level"))
                .isEqualTo("COMMUNE"));
    }

    /**
     * Last changes in Paris time: h5 is 2023-12-31 23:30 UTC, i.e. 2024-01-01 00:30 in Paris; weeks start on
     * Monday; h8 has none (null, last).
     */
    @ParameterizedTest(name = "grain {0}")
    @CsvSource(delimiter = '|', value = {
            "DAY     | 2024-01-01=1, 2024-01-15=1, 2024-02-20=1, 2024-04-05=1, 2024-07-01=1, 2025-03-10=1, 2025-11-30=1, null=1",
            "WEEK    | 2024-01-01=1, 2024-01-15=1, 2024-02-19=1, 2024-04-01=1, 2024-07-01=1, 2025-03-10=1, 2025-11-24=1, null=1",
            "MONTH   | 2024-01-01=2, 2024-02-01=1, 2024-04-01=1, 2024-07-01=1, 2025-03-01=1, 2025-11-01=1, null=1",
            "QUARTER | 2024-01-01=3, 2024-04-01=1, 2024-07-01=1, 2025-01-01=1, 2025-10-01=1, null=1",
            "YEAR    | 2024-01-01=5, 2025-01-01=2, null=1"})
    void timeDimensionTruncatesToEachGrainInParisTime(String grain, String expected) {
        List<Map<String, Object>> rows = rows(run(api, analyst(), "{ housing(measures: [count], dimensions:"
                + " [{dimension: changed_at, grain: " + grain + "}]) { rows { changed_at count } } }"), "housing");
        assertThat(rows).extracting(r -> r.get("changed_at") + "=" + r.get("count"))
                .containsExactlyElementsOf(Arrays.stream(expected.split(",")).map(String::trim).toList());
    }

    @Test
    void dateDimensionDefaultsToItsFinestDeclaredGrainAndRefusesOthers() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: created_on}]) { rows { created_on count } } }"""),
                "housing");
        assertThat(rows).extracting(r -> r.get("created_on") + "=" + r.get("count")).containsExactly(
                "2023-12-01=1", "2024-01-01=1", "2024-02-01=1", "2024-04-01=1", "2024-07-01=1", "2025-03-01=1",
                "2025-11-01=1", "null=1");

        GraphQlResponse day = run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: created_on, grain: DAY}]) { rows { count } } }""");
        assertThat(code(day)).isEqualTo("BAD_USER_INPUT");
        assertThat(message(day)).contains("created_on", "no grain day", "month, year");
    }

    @Test
    void nationalMonthlyFiguresRollUpToQuartersAndYears() {
        List<Map<String, Object>> quarters = rows(run(api, analyst(), """
                { kpis(measures: [campaigns_sent], dimensions: [{dimension: month, grain: QUARTER}]) {
                    rows { month campaigns_sent } } }"""), "kpis");
        assertThat(quarters).extracting(r -> r.get("month") + "=" + r.get("campaigns_sent"))
                .containsExactly("2024-01-01=5", "2024-04-01=5");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status EQUALS 'Premier contact'                | {dimension: status, operator: EQUALS, value: \"Premier contact\"} | 2",
            "occupancy NOT_EQUALS V                         | {dimension: occupancy, operator: NOT_EQUALS, value: \"V\"}       | 2",
            "status_code IN [0, 5]                          | {dimension: status_code, operator: IN, values: [0, 5]}           | 4",
            "status_code NOT_IN [0, 5]                      | {dimension: status_code, operator: NOT_IN, values: [0, 5]}       | 4",
            "vacancy_years GT 2                             | {dimension: vacancy_years, operator: GT, value: 2}               | 3",
            "vacancy_years GTE 2                            | {dimension: vacancy_years, operator: GTE, value: 2}              | 4",
            "vacancy_years LT 2                             | {dimension: vacancy_years, operator: LT, value: 2}               | 2",
            "vacancy_years LTE 2                            | {dimension: vacancy_years, operator: LTE, value: \"2\"}          | 3",
            "vacancy_years BETWEEN 2 and 5                  | {dimension: vacancy_years, operator: BETWEEN, values: [2, 5]}    | 3",
            "status CONTAINS suivi, any case                | {dimension: status, operator: CONTAINS, value: \"SUIVI\"}        | 5",
            "vacancy_years IS_NULL                          | {dimension: vacancy_years, operator: IS_NULL}                    | 2",
            "vacancy_years IS_NOT_NULL                      | {dimension: vacancy_years, operator: IS_NOT_NULL}                | 6",
            "area GT 60.5 (a float)                         | {dimension: area, operator: GT, value: 60.5}                     | 3",
            "is_vacant EQUALS false (a boolean)             | {dimension: is_vacant, operator: EQUALS, value: false}           | 2",
            "territory at département IN [75, 92]           | {dimension: territory, level: DEPARTEMENT, operator: IN, values: [\"75\", \"92\"]} | 5",
            "changed_at GTE 2025-01-01 (a timestamp)        | {dimension: changed_at, operator: GTE, value: \"2025-01-01\"}    | 2",
            "joined commune__zone EQUALS B1                 | {dimension: commune__zone, operator: EQUALS, value: \"B1\"}      | 4"})
    void eachFilterOperatorKeepsTheRowsComputedByHand(String name, String filter, long expected) {
        Map<String, Object> row = single("{ housing(measures: [count], filters: [" + filter + "]) { rows { count } } }",
                "housing");
        assertThat(row.get("count")).isEqualTo(expected);
    }

    @Test
    void timeRangeIncludesBothDaysInParisTime() {
        // h5 changed at 2023-12-31 23:30 UTC, 2024-01-01 in Paris: inside January.
        Map<String, Object> january = single("""
                { housing(measures: [count], timeRange: {dimension: changed_at, from: "2024-01-01", to: "2024-01-31"}) {
                    rows { count } } }""", "housing");
        assertThat(january.get("count")).isEqualTo(2L);
        Map<String, Object> dates = single("""
                { housing(measures: [count], timeRange: {dimension: created_on, from: "2024-01-01", to: "2024-02-20"}) {
                    rows { count } } }""", "housing");
        assertThat(dates.get("count")).as("h1 and h2, the last day included").isEqualTo(2L);
    }

    @Test
    void inputObjectsMayComeAsVariables() {
        Map<String, Object> variables = Map.of(
                "dimensions", List.of(Map.of("dimension", "territory", "level", "DEPARTEMENT")),
                "filters", List.of(Map.of("dimension", "vacancy_years", "operator", "BETWEEN", "values", List.of(2, 5))),
                "order", List.of(Map.of("field", "count", "direction", "DESC")));
        GraphQlResponse response = api.execute(new fr.zlv.entrepot.semantic.api.GraphQlRequest("""
                query Q($dimensions: [HousingDimensionInput!], $filters: [HousingFilter!], $order: [HousingOrderBy!]) {
                  housing(measures: [count], dimensions: $dimensions, filters: $filters, orderBy: $order) {
                    rows { territory { code } count } } }""", "Q", variables), analyst());
        // Vacant 2 to 5 years: h2 (75), h4 (92), h7 (33).
        assertThat(rows(response, "housing")).extracting(r -> ((Map<?, ?>) r.get("territory")).get("code") + "="
                + r.get("count")).containsExactly("33=1", "75=1", "92=1");
    }

    @Test
    void segmentAppliesItsNamedFilter() {
        Map<String, Object> row = single("{ housing(measures: [count], segments: [long_vacant]) { rows { count } } }",
                "housing");
        assertThat(row.get("count")).as("vacant for 3, 5, 10 and 2 years").isEqualTo(4L);
    }

    @Test
    void joinedDimensionComesFromTheJoinedCube() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: commune__zone}]) { rows { commune__zone count } } }"""),
                "housing");
        assertThat(rows).extracting(r -> r.get("commune__zone") + "=" + r.get("count")).containsExactly("A=4", "B1=4");
    }

    @Test
    void campaignReturnRateByEstablishmentIsARatioOfFilteredSums() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { campaigns(measures: [sent, contacted, returned, return_rate], dimensions: [{dimension: establishment}]) {
                    rows { establishment sent contacted returned return_rate } } }"""), "campaigns");
        assertThat(rows).extracting(r -> r.get("establishment") + ": " + r.get("sent") + " " + r.get("contacted") + " "
                        + r.get("returned") + " " + r.get("return_rate"))
                .containsExactly("Gironde: 0 null null null", "Hauts-de-Seine: 1 20 5 0.25", "Paris: 2 20 10 0.5");
    }

    @Test
    void orderByMeasureThenPagesWithHasMore() {
        GraphQlResponse first = run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: territory, level: COMMUNE}],
                          orderBy: [{field: count, direction: DESC}], limit: 2) {
                    rows { territory { code } count } hasMore rowCount limit offset } }""");
        List<Map<String, Object>> rows = rows(first, "housing");
        // Counts 2, 2, 2, 1, 1: ties broken by the dimension, ascending.
        assertThat(rows).extracting(r -> ((Map<?, ?>) r.get("territory")).get("code") + "=" + r.get("count"))
                .containsExactly("33063=2", "75102=2");
        @SuppressWarnings("unchecked")
        Map<String, Object> page = (Map<String, Object>) ((Map<String, Object>) first.body().get("data")).get("housing");
        assertThat(page).containsEntry("hasMore", true).containsEntry("rowCount", 2).containsEntry("limit", 2);

        GraphQlResponse last = run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: territory, level: COMMUNE}],
                          orderBy: [{field: count, direction: DESC}], limit: 2, offset: 4) {
                    rows { territory { code } count } hasMore offset } }""");
        assertThat(rows(last, "housing")).extracting(r -> String.valueOf(((Map<?, ?>) r.get("territory")).get("code")))
                .containsExactly("75101");
        @SuppressWarnings("unchecked")
        Map<String, Object> lastPage = (Map<String, Object>) ((Map<String, Object>) last.body().get("data")).get("housing");
        assertThat(lastPage).containsEntry("hasMore", false).containsEntry("offset", 4);
    }

    @Test
    void dimensionsAloneListTheirDistinctValues() {
        List<Map<String, Object>> rows = rows(run(api, analyst(), """
                { housing(measures: [], dimensions: [{dimension: occupancy}]) { rows { occupancy count } } }"""),
                "housing");
        assertThat(rows).extracting(r -> r.get("occupancy")).containsExactly("L", "P", "V");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("count")).isNull());
    }

    @Test
    void badValuesLimitsAndOrdersAreRefusedAsUserInput() {
        assertThat(message(run(api, analyst(), """
                { housing(measures: [count], filters: [{dimension: vacancy_years, operator: GT, value: "deux"}]) {
                    rows { count } } }"""))).contains("vacancy_years", "'deux' is not a whole number");
        assertThat(message(run(api, analyst(), """
                { housing(measures: [count], filters: [{dimension: changed_at, operator: GT, value: "yesterday"}]) {
                    rows { count } } }"""))).contains("'yesterday' is not a date or timestamp");
        assertThat(message(run(api, analyst(), """
                { housing(measures: [count], filters: [{dimension: status, operator: IN}]) { rows { count } } }""")))
                .contains("needs values");
        assertThat(message(run(api, analyst(), "{ housing(measures: [count], limit: 100000) { rows { count } } }")))
                .contains("limit must be between 1 and 10000");
        assertThat(message(run(api, analyst(), """
                { housing(measures: [count], orderBy: [{field: status}]) { rows { count } } }""")))
                .contains("Cannot order by 'status'");
        GraphQlResponse grainOnCategory = run(api, analyst(), """
                { housing(measures: [count], dimensions: [{dimension: status, grain: YEAR}]) { rows { count } } }""");
        assertThat(code(grainOnCategory)).isEqualTo("BAD_USER_INPUT");
        assertThat(grainOnCategory.httpStatus()).isEqualTo(200);
        assertThat(grainOnCategory.outcome()).isEqualTo("invalid");
    }

    @Test
    void metadataListsCubesWithFreshness() {
        GraphQlResponse response = run(api, analyst(), """
                { dataVersion cubes { name freshness national geography measures { name type dataType }
                    dimensions { name type cube grains levels } } }""");
        assertThat(response.httpStatus()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) response.body().get("data");
        assertThat(data.get("dataVersion")).isEqualTo("20260101T000000000Z-00000001");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cubes = (List<Map<String, Object>>) data.get("cubes");
        assertThat(cubes).extracting(c -> c.get("name"))
                .containsExactly("housing", "communes", "campaigns", "establishments", "kpis");
        Map<String, Object> housing = cubes.get(0);
        assertThat(housing.get("freshness")).isEqualTo("2026-01-01T06:00:00Z");
        assertThat(housing.get("geography")).isEqualTo(List.of("COMMUNE", "EPCI", "DEPARTEMENT", "REGION"));
        assertThat(cubes.get(4).get("national")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> dimensions = (List<Map<String, Object>>) housing.get("dimensions");
        assertThat(dimensions).filteredOn(d -> d.get("name").equals("commune__zone")).singleElement()
                .satisfies(d -> assertThat(d.get("cube")).isEqualTo("communes"));
        assertThat(dimensions).filteredOn(d -> d.get("name").equals("created_on")).singleElement()
                .satisfies(d -> assertThat(d.get("grains")).isEqualTo(List.of("MONTH", "YEAR")));
    }
}
