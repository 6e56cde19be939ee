package fr.zlv.entrepot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GraphQL API end to end, over real HTTP, the real semantic layer and a real BI file: who sees what (territories,
 * grants), what is refused (depth and complexity bombs, injection attempts), the rate limit, the audit log of each
 * call, and the metrics (read with a strict Prometheus parser, and every metric the Grafana dashboard uses present).
 */
class GraphqlApiIT {

    private static final String BY_DEPARTEMENT = """
            { housing(measures: [count, vacant_count, rental_value], dimensions: [{dimension: departement}]) {
                rows { departement count vacant_count rental_value } } }""";
    private static final int RATE_LIMIT = 40;

    @TempDir
    Path directory;

    private SemanticApi semantic;
    private RunStore store;
    private EntrepotServer server;
    private final String admin = Tokens.hs256(Tokens.claims("ops", "admin"));
    private final String analyst = Tokens.hs256(Tokens.claims("ana", "analyst"));

    @BeforeEach
    void start() throws Exception {
        TestWarehouse warehouse = TestWarehouse.create(directory);
        semantic = warehouse.open();
        store = RunStores.open(directory.resolve("runs.sqlite").toString());
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(Tokens.SECRET)).withLimits(RATE_LIMIT, 65_536, 30);
        server = EntrepotServer.start(settings, semantic, store);
    }

    @AfterEach
    void stop() {
        server.close();
        semantic.close();
        store.close();
    }

    private Http.Answer ask(String token, String query) {
        return Http.postGraphql(server.url(), token, query, null);
    }

    /** département → [count, vacant_count, rental_value] of an answer to {@link #BY_DEPARTEMENT}. */
    private static Map<String, List<Long>> byDepartement(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().has("errors")).as(answer.body()).isFalse();
        Map<String, List<Long>> rows = new TreeMap<>();
        for (JsonNode row : answer.json().path("data").path("housing").path("rows")) {
            rows.put(row.path("departement").asText(), List.of(row.path("count").asLong(),
                    row.path("vacant_count").asLong(), row.path("rental_value").asLong()));
        }
        return rows;
    }

    @Test
    void anAnalystSeesEveryDepartement() {
        assertThat(byDepartement(ask(analyst, BY_DEPARTEMENT))).isEqualTo(Map.of(
                "33", List.of(3L, 2L, 2700L),
                "75", List.of(4L, 3L, 1000L),
                "92", List.of(3L, 2L, 1800L)));
    }

    @Test
    void aTerritorialTokenSeesOnlyItsRows() {
        String paris = Tokens.hs256(Tokens.claims("ddt-75", "territory").claim("departement", "75"));
        String idf = Tokens.hs256(Tokens.claims("region-idf", "territory").claim("region", List.of("11")));

        assertThat(byDepartement(ask(paris, BY_DEPARTEMENT))).isEqualTo(Map.of("75", List.of(4L, 3L, 1000L)));
        assertThat(byDepartement(ask(idf, BY_DEPARTEMENT))).containsOnlyKeys("75", "92");
        Http.Answer total = ask(paris, "{ housing(measures: [count]) { rows { count } } }");
        assertThat(total.json().path("data").path("housing").path("rows").get(0).path("count").asLong()).isEqualTo(4);
    }

    @Test
    void aTerritorialTokenWithoutTerritorySeesNothing() {
        Http.Answer answer = ask(Tokens.hs256(Tokens.claims("lost", "territory")), BY_DEPARTEMENT);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("data").path("housing").path("rows").size()).isZero();
    }

    @Test
    void aRoleAskingAnUngrantedMeasureIsForbiddenWithTheMeasureNamed() {
        String partner = Tokens.hs256(Tokens.claims("partner-1", "partner"));

        Http.Answer allowed = ask(partner, "{ housing(measures: [count], dimensions: [{dimension: status}]) {"
                + " rows { status count } } }");
        Http.Answer refused = ask(partner, "{ housing(measures: [vacant_count]) { rows { vacant_count } } }");

        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("FORBIDDEN");
        assertThat(refused.message()).contains("vacant_count");
    }

    @Test
    void depthAndComplexityBombsAreRefused() {
        String depthBomb = "{ __type(name: \"HousingRow\") { " + "ofType { ".repeat(40) + "name" + " }".repeat(40)
                + " } }";
        StringBuilder complexityBomb = new StringBuilder("{");
        for (int i = 0; i < 80; i++) {
            complexityBomb.append(" q").append(i).append(": housing(measures: [count], limit: ").append(i + 1)
                    .append(") { rows { count } }");
        }
        complexityBomb.append(" }");

        Http.Answer deep = ask(analyst, depthBomb);
        Http.Answer complex = ask(analyst, complexityBomb.toString());

        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.message()).contains("depth");
        assertThat(complex.status()).isEqualTo(400);
        assertThat(complex.message()).contains("complexity");
    }

    @Test
    void injectionAttemptsGiveDataOrACleanError() {
        for (String attempt : List.of("' OR 1=1 --", "75'); DROP TABLE housing; --", "\"; SELECT * FROM housing --",
                "Non suivi' OR 'a'='a")) {
            Http.Answer answer = Http.postGraphql(server.url(), analyst, "query($v: FilterValue!) { housing(measures:"
                    + " [count], filters: [{dimension: status, operator: EQUALS, value: $v}]) { rows { count } } }",
                    Map.of("v", attempt));
            assertThat(answer.status()).as(answer.body()).isIn(200, 400);
            assertThat(answer.body()).doesNotContainIgnoringCase("syntax error").doesNotContain("Parser Error")
                    .doesNotContain("Binder Error").doesNotContain("Catalog Error");
            if (answer.status() == 200) {
                assertThat(answer.json().path("data").path("housing").path("rows").get(0).path("count").asLong())
                        .isZero();
            }
        }
        assertThat(byDepartement(ask(analyst, BY_DEPARTEMENT))).hasSize(3);
    }

    @Test
    void aGetRequestWithQueryParametersWorks() {
        String query = "query Q($s: FilterValue!) { housing(measures: [count], filters: [{dimension: status,"
                + " operator: EQUALS, value: $s}]) { rows { count } } }";
        URI uri = server.url().resolve("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&operationName=Q&variables=" + URLEncoder.encode("{\"s\":\"Non suivi\"}", StandardCharsets.UTF_8));

        Http.Answer answer = Http.get(uri, analyst);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("data").path("housing").path("rows").get(0).path("count").asLong()).isEqualTo(5);
    }

    @Test
    void graphqlRequestsBeyondTheRateAreRefused() {
        String busy = Tokens.hs256(Tokens.claims("busy", "analyst"));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= RATE_LIMIT; i++) {
            statuses.add(ask(busy, "{ housing(measures: [count]) { rows { count } } }").status());
        }

        assertThat(statuses.subList(0, RATE_LIMIT)).containsOnly(200);
        assertThat(statuses.get(RATE_LIMIT)).isEqualTo(429);
    }

    @Test
    void everyCallIsInTheAuditLogWhichOnlyAdminsRead() {
        String paris = Tokens.hs256(Tokens.claims("ddt-75", "territory").claim("departement", "75"));
        ask(paris, BY_DEPARTEMENT);
        Http.postGraphql(server.url(), paris, "query($v: FilterValue!) { housing(measures: [count], filters:"
                + " [{dimension: status, operator: EQUALS, value: $v}]) { rows { count } } }", Map.of("v", "Non suivi"));
        ask(paris, "{ housing(measures: [count], dimensions: [{dimension: nowhere}]) { rows { count } } }");
        ask(Tokens.hs256(Tokens.claims("partner-1", "partner")), "{ housing(measures: [vacant_count]) {"
                + " rows { vacant_count } } }");

        Http.Answer refused = Http.get(server.url().resolve("/api/audit"), paris);
        Http.Answer log = Http.get(server.url().resolve("/api/audit?subject=ddt-75"), admin);
        Http.Answer denied = Http.get(server.url().resolve("/api/audit?outcome=denied"), admin);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(log.status()).isEqualTo(200);
        JsonNode records = log.json().path("records");
        assertThat(records).hasSize(3);
        JsonNode first = records.get(2);
        assertThat(first.path("subject").asText()).isEqualTo("ddt-75");
        assertThat(first.path("role").asText()).isEqualTo("territory");
        assertThat(first.path("query").asText()).isEqualTo(BY_DEPARTEMENT);
        assertThat(first.path("rows").asLong()).isEqualTo(1);
        assertThat(first.path("outcome").asText()).isEqualTo("ok");
        assertThat(first.path("status").asInt()).isEqualTo(200);
        assertThat(first.path("cubes").toString()).isEqualTo("[\"housing\"]");
        assertThat(first.path("client_address").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("duration_ms").asLong()).isNotNegative();
        assertThat(records.get(1).path("variables").asText()).isEqualTo("{\"v\":\"Non suivi\"}");
        assertThat(records.get(0).path("status").asInt()).isEqualTo(400);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("invalid");
        assertThat(denied.json().path("records")).hasSize(1);
        assertThat(denied.json().path("records").get(0).path("subject").asText()).isEqualTo("partner-1");
    }

    @Test
    void metricsCountGraphqlOutcomesAndCacheHitsAndCoverTheDashboard() throws Exception {
        // A daily run in the store, for the orchestrator's figures.
        java.time.Instant end = java.time.Instant.now().minusSeconds(600);
        fr.zlv.entrepot.orchestrator.store.RunRecord run = new fr.zlv.entrepot.orchestrator.store.RunRecord("r1",
                "daily", "*", fr.zlv.entrepot.orchestrator.store.RunStatus.QUEUED, "schedule:daily", null,
                end.minusSeconds(60), null, null, null, "1@host", end);
        store.createRun(run);
        store.updateRun(run.withStatus(fr.zlv.entrepot.orchestrator.store.RunStatus.SUCCESS, end, null));
        store.saveStep(new fr.zlv.entrepot.orchestrator.store.StepRecord("r1", "dbt_build",
                fr.zlv.entrepot.orchestrator.store.StepStatus.SUCCESS, 1, end.minusSeconds(50), end, null));
        store.recordMaterialization(new fr.zlv.entrepot.orchestrator.store.MaterializationRecord(
                fr.zlv.entrepot.orchestrator.asset.AssetKey.of("publish", "bi", "housing"), "r1", "publish", end, 10L,
                5, null, Map.of()));
        ask(analyst, BY_DEPARTEMENT);
        ask(analyst, BY_DEPARTEMENT);
        ask(Tokens.hs256(Tokens.claims("partner-1", "partner")), "{ housing(measures: [vacant_count]) {"
                + " rows { vacant_count } } }");
        Http.postGraphql(server.url(), "not-a-token", BY_DEPARTEMENT, null);

        PrometheusText metrics = PrometheusText.parse(Http.get(server.url().resolve("/metrics"), null).body());

        assertThat(sum(metrics, "entrepot_graphql_requests_total", Map.of("outcome", "ok"))).isEqualTo(2.0);
        assertThat(sum(metrics, "entrepot_graphql_requests_total", Map.of("outcome", "denied"))).isEqualTo(1.0);
        assertThat(sum(metrics, "entrepot_semantic_cache_requests_total", Map.of("result", "hit"))).isEqualTo(1.0);
        assertThat(sum(metrics, "entrepot_semantic_cache_requests_total", Map.of("result", "miss"))).isEqualTo(1.0);
        assertThat(sum(metrics, "entrepot_graphql_rows_total", Map.of())).isEqualTo(6.0);
        assertThat(sum(metrics, "http_server_requests_seconds_count", Map.of("route", "/graphql"))).isEqualTo(4.0);
        assertThat(sum(metrics, "entrepot_http_errors_total", Map.of("route", "/graphql", "code", "UNAUTHENTICATED")))
                .isEqualTo(1.0);

        // Every metric the Grafana dashboard reads is one the server exposes.
        String dashboard = Files.readString(Path.of("..", "warehouse", "observability", "entrepot-dashboard.json"));
        Set<String> used = new LinkedHashSet<>();
        Matcher names = Pattern.compile("\\b(entrepot_[a-z_]+|http_server_requests_seconds_[a-z]+)").matcher(dashboard);
        while (names.find()) {
            used.add(names.group(1));
        }
        assertThat(used).contains("entrepot_graphql_requests_total", "entrepot_semantic_cache_requests_total",
                "http_server_requests_seconds_bucket", "entrepot_asset_freshness_seconds");
        for (String name : used) {
            assertThat(metrics.family(name)).as("the dashboard's " + name).isNotNull();
        }
    }

    private static double sum(PrometheusText metrics, String name, Map<String, String> labels) {
        return metrics.find(name, labels).stream().mapToDouble(PrometheusText.Sample::value).sum();
    }
}
