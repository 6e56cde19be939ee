package fr.zlv.entrepot.semantic;

import static fr.zlv.entrepot.semantic.BiFixture.code;
import static fr.zlv.entrepot.semantic.BiFixture.message;
import static fr.zlv.entrepot.semantic.BiFixture.rows;
import static fr.zlv.entrepot.semantic.BiFixture.run;
import static fr.zlv.entrepot.semantic.BiFixture.territory;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles, grants and territorial scopes of access.yml, enforced inside the SQL on a real DuckDB file. */
class AccessPolicyTest {

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

    private static long count(GraphQlResponse response, String cube, String measure) {
        List<Map<String, Object>> rows = rows(response, cube);
        assertThat(rows).hasSize(1);
        return (Long) rows.get(0).get(measure);
    }

    @Test
    void aPrincipalOfDepartement75SeesOnly75sRows() {
        Principal paris = territory("departement", "75");
        assertThat(count(run(api, paris, "{ housing(measures: [count]) { rows { count } } }"), "housing", "count"))
                .as("h1, h2, h3 of the 8 housings").isEqualTo(3);
        List<Map<String, Object>> byDepartement = rows(run(api, paris, """
                { housing(measures: [count], dimensions: [{dimension: territory, level: DEPARTEMENT}]) {
                    rows { territory { code } count } } }"""), "housing");
        assertThat(byDepartement).extracting(r -> ((Map<?, ?>) r.get("territory")).get("code") + "=" + r.get("count"))
                .containsExactly("75=3");
        // Filtering on another département cannot widen the scope: the two conditions hold together.
        assertThat(count(run(api, paris, """
                { housing(measures: [count], filters: [{dimension: territory, level: DEPARTEMENT, operator: EQUALS,
                    value: "33"}]) { rows { count } } }"""), "housing", "count")).isZero();
    }

    @Test
    void aListColumnMatchesWhenItHoldsTheTerritory() {
        // Campaigns c1, c2 (['75']) and c3 (['92', '75']): 10 + 10 + 20 housings.
        List<Map<String, Object>> rows = rows(run(api, territory("departement", "75"),
                "{ campaigns(measures: [sent, contacted]) { rows { sent contacted } } }"), "campaigns");
        assertThat(rows).extracting(r -> r.get("sent") + "/" + r.get("contacted")).containsExactly("3/40");
    }

    @Test
    void theScopeAlsoHoldsOnEveryJoinedCube() {
        // Through the join, the establishment must be in 75 too: c3's establishment e2 is in 92.
        List<Map<String, Object>> rows = rows(run(api, territory("departement", "75"), """
                { campaigns(measures: [sent], dimensions: [{dimension: establishment__kind}]) {
                    rows { establishment__kind sent } } }"""), "campaigns");
        assertThat(rows).extracting(r -> r.get("establishment__kind") + "=" + r.get("sent")).containsExactly("COM=2");

        List<Map<String, Object>> zones = rows(run(api, territory("departement", "92"), """
                { housing(measures: [count], dimensions: [{dimension: commune__zone}]) { rows { commune__zone count } } }"""),
                "housing");
        assertThat(zones).extracting(r -> r.get("commune__zone") + "=" + r.get("count")).containsExactly("B1=2");
    }

    @Test
    void severalTerritoriesAddUp() {
        Principal two = new Principal("t", "territory", Map.of("departement", List.of("75"), "commune",
                List.of("33063")));
        assertThat(count(run(api, two, "{ housing(measures: [count]) { rows { count } } }"), "housing", "count"))
                .as("3 housings in 75 and 2 in Bordeaux").isEqualTo(5);
    }

    @Test
    void nationalCubesAreShownWholeToTerritorialRoles() {
        assertThat(count(run(api, territory("departement", "75"),
                "{ kpis(measures: [campaigns_sent]) { rows { campaigns_sent } } }"), "kpis", "campaigns_sent"))
                .isEqualTo(10);
    }

    @Test
    void aTerritorialRoleWithoutTerritoryIsDeniedEverything() {
        for (Principal nowhere : List.of(new Principal("t", "territory", Map.of()),
                new Principal("t", "territory", Map.of("departement", List.of())),
                new Principal("t", "territory", Map.of("country", List.of("FR"))))) {
            for (String query : List.of("{ housing(measures: [count]) { rows { count } } }",
                    "{ kpis(measures: [campaigns_sent]) { rows { campaigns_sent } } }", "{ cubes { name } }")) {
                GraphQlResponse response = run(api, nowhere, query);
                assertThat(response.httpStatus()).as("%s %s", nowhere, query).isEqualTo(403);
                assertThat(code(response)).isEqualTo("FORBIDDEN");
                assertThat(message(response)).contains("no territory");
                assertThat(response.body()).doesNotContainKey("data");
            }
        }
    }

    @Test
    void aTerritoryAtALevelTheCubeCannotPlaceIsDenied() {
        GraphQlResponse response = run(api, territory("commune", "75101"),
                "{ campaigns(measures: [sent]) { rows { sent } } }");
        assertThat(response.httpStatus()).isEqualTo(403);
        assertThat(message(response)).contains("campaigns", "commune");
    }

    @Test
    void anUngrantedMeasureIsDeniedByName() {
        Principal partner = new Principal("p", "partner", Map.of());
        GraphQlResponse response = run(api, partner, "{ housing(measures: [count, owners]) { rows { count } } }");
        assertThat(response.httpStatus()).isEqualTo(403);
        assertThat(response.outcome()).isEqualTo("denied");
        assertThat(code(response)).isEqualTo("FORBIDDEN");
        assertThat(message(response)).contains("measure 'owners'", "partner");
    }

    @Test
    void wildcardsAndDimensionGrantsApply() {
        Principal partner = new Principal("p", "partner", Map.of());
        List<Map<String, Object>> rows = rows(run(api, partner, """
                { housing(measures: [count, vacant_count], dimensions: [{dimension: status}]) {
                    rows { status count vacant_count } } }"""), "housing");
        assertThat(rows).hasSize(5);

        GraphQlResponse dimension = run(api, partner, """
                { housing(measures: [count], dimensions: [{dimension: territory, level: REGION}]) { rows { count } } }""");
        assertThat(dimension.httpStatus()).isEqualTo(403);
        assertThat(message(dimension)).contains("dimension 'territory'");

        GraphQlResponse filter = run(api, partner, """
                { housing(measures: [count], filters: [{dimension: occupancy, operator: EQUALS, value: "V"}]) {
                    rows { count } } }""");
        assertThat(filter.httpStatus()).as("filtering reveals as much as grouping").isEqualTo(403);
        assertThat(message(filter)).contains("filter on dimension 'occupancy'");

        GraphQlResponse segment = run(api, partner, "{ housing(measures: [count], segments: [long_vacant]) { rows { count } } }");
        assertThat(segment.httpStatus()).isEqualTo(403);
        assertThat(message(segment)).contains("segment 'long_vacant'");

        GraphQlResponse cube = run(api, partner, "{ campaigns(measures: [sent]) { rows { sent } } }");
        assertThat(cube.httpStatus()).isEqualTo(403);
        assertThat(message(cube)).contains("cube 'campaigns'");
    }

    @Test
    void metadataShowsOnlyWhatTheRoleMaySee() {
        GraphQlResponse response = run(api, new Principal("p", "partner", Map.of()),
                "{ cubes { name measures { name } dimensions { name } segments { name } } }");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cubes = (List<Map<String, Object>>) ((Map<String, Object>) response.body().get("data"))
                .get("cubes");
        assertThat(cubes).extracting(c -> c.get("name")).containsExactly("housing", "kpis");
        assertThat(cubes.get(0).get("measures")).isEqualTo(List.of(Map.of("name", "count"),
                Map.of("name", "vacant_count")));
        assertThat(cubes.get(0).get("dimensions")).isEqualTo(List.of(Map.of("name", "status")));
        assertThat(cubes.get(0).get("segments")).isEqualTo(List.of());
    }

    @Test
    void anUnknownRoleIsDenied() {
        GraphQlResponse response = run(api, new Principal("x", "superuser", Map.of()), "{ cubes { name } }");
        assertThat(response.httpStatus()).isEqualTo(403);
        assertThat(message(response)).contains("'superuser' is not defined");
    }

    @Test
    void aNationalRoleIgnoresTerritoryClaims() {
        Principal analyst = new Principal("a", "analyst", Map.of("departement", List.of("75")));
        assertThat(count(run(api, analyst, "{ housing(measures: [count]) { rows { count } } }"), "housing", "count"))
                .isEqualTo(8);
    }
}
