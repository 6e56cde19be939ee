package fr.zlv.entrepot.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server does around the GraphQL API, over real HTTP: health, metrics in Prometheus' format (read with a
 * strict parser), JSON errors, the body limit, the rate limit, and the audit endpoint's filters.
 */
class ServerIT {

    private static final int RATE_LIMIT = 5;
    private static final int MAX_BODY = 2_048;

    @TempDir
    Path directory;

    private RunStore store;
    private EntrepotServer server;
    private final String admin = Tokens.hs256(Tokens.claims("ops", "admin"));

    @BeforeEach
    void start() {
        store = RunStores.open(directory.resolve("runs.sqlite").toString());
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(Tokens.SECRET)).withLimits(RATE_LIMIT, MAX_BODY, 30);
        server = EntrepotServer.start(settings, new NoSemantic(), store);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private URI at(String path) {
        return server.url().resolve(path);
    }

    @Test
    void healthNeedsNoTokenAndTellsTheDataVersion() {
        Http.Answer answer = Http.get(at("/health"), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("status").asText()).isEqualTo("ok");
        assertThat(answer.json().path("data_version").asText()).isEqualTo("no data");
    }

    @Test
    void anUnknownPathIsAJsonNotFound() {
        Http.Answer answer = Http.get(at("/no/such/thing"), admin);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("NOT_FOUND");
        assertThat(answer.message()).contains("/no/such/thing");
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedAndAudited() {
        String query = "{ housing { count } }" + " ".repeat(MAX_BODY);

        Http.Answer answer = Http.postGraphql(server.url(), Tokens.hs256(Tokens.claims("big", "analyst")), query, null);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        JsonNode records = Http.get(at("/api/audit?subject=big"), admin).json().path("records");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("status").asInt()).isEqualTo(413);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("invalid");
        assertThat(records.get(0).path("role").asText()).isEqualTo("analyst");
    }

    @Test
    void aBodyThatIsNotAGraphqlRequestIsABadRequest() {
        String token = Tokens.hs256(Tokens.claims("clumsy", "analyst"));

        Http.Answer notJson = Http.post(at("/graphql"), token, "query { housing }");
        Http.Answer noQuery = Http.post(at("/graphql"), token, "{\"variables\": {}}");
        Http.Answer badVariables = Http.post(at("/graphql"), token, "{\"query\": \"{ a }\", \"variables\": [1]}");
        Http.Answer getWithoutQuery = Http.get(at("/graphql"), token);

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.code()).isEqualTo("BAD_REQUEST");
        assertThat(notJson.message()).contains("JSON object");
        assertThat(noQuery.message()).contains("no query");
        assertThat(badVariables.message()).contains("variables must be a JSON object");
        assertThat(getWithoutQuery.status()).isEqualTo(400);
        assertThat(Http.get(at("/api/audit?subject=clumsy"), admin).json().path("records")).hasSize(4);
    }

    @Test
    void aSubjectBeyondItsRateIsToldWhenToComeBack() {
        String busy = Tokens.hs256(Tokens.claims("busy", "admin"));
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertThat(Http.get(at("/api/audit"), busy).status()).isEqualTo(200);
        }

        Http.Answer refused = Http.get(at("/api/audit"), busy);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        // Another subject has a bucket of its own.
        assertThat(Http.get(at("/api/audit"), admin).status()).isEqualTo(200);
    }

    @Test
    void theAuditEndpointChecksItsParameters() {
        assertThat(Http.get(at("/api/audit?limit=0"), admin).status()).isEqualTo(400);
        assertThat(Http.get(at("/api/audit?limit=lots"), admin).message()).contains("limit must be a number");
        Http.Answer badSince = Http.get(at("/api/audit?since=yesterday"), admin);
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badSince.message()).contains("'yesterday' is not a time");
        assertThat(Http.get(at("/api/audit?since=24h&limit=10"), admin).status()).isEqualTo(200);
        assertThat(Http.get(at("/api/audit?since=" + URLEncoder.encode("2026-01-01T00:00:00Z",
                StandardCharsets.UTF_8)), admin).status()).isEqualTo(200);
    }

    @Test
    void metricsParseAndTellRequestsErrorsRunsAndAssets() {
        Instant end = Instant.now().minus(Duration.ofMinutes(5));
        Instant start = end.minusSeconds(90);
        RunRecord run = new RunRecord("run-1", "daily", "*", RunStatus.QUEUED, "manual", null, start, null, null, null,
                "1@host", start);
        store.createRun(run);
        store.updateRun(run.withStatus(RunStatus.STARTED, start, null).withStatus(RunStatus.SUCCESS, end, null));
        store.saveStep(new StepRecord("run-1", "production_sync", StepStatus.SUCCESS, 1, start,
                start.plusSeconds(60), null));
        store.saveStep(new StepRecord("run-1", "dbt_build", StepStatus.FAILURE, 2, start.plusSeconds(60), end, "boom"));
        store.recordMaterialization(new MaterializationRecord(AssetKey.of("production", "housing"), "run-1",
                "production_sync", end.minusSeconds(30), 10_000L, 1_200, "h", Map.of()));
        store.recordMaterialization(new MaterializationRecord(AssetKey.of("lovac", "lovac_2025"), "run-1",
                "production_sync", end.minusSeconds(30), 2_500L, 300, "h", Map.of()));
        store.recordMaterialization(new MaterializationRecord(AssetKey.of("publish", "bi", "housing"), "run-1",
                "dbt_build", end, 9_000L, 500, "h", Map.of()));
        Http.get(at("/api/audit"), admin);
        Http.get(at("/api/audit"), null);

        Http.Answer answer = Http.get(at("/metrics"), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/plain");
        PrometheusText metrics = PrometheusText.parse(answer.body());
        assertThat(metrics.types).containsEntry("http_server_requests_seconds", "histogram")
                .containsEntry("entrepot_http_errors_total", "counter")
                .containsKeys("entrepot_audit_records_pending", "entrepot_runs_recent",
                        "entrepot_run_last_duration_seconds", "entrepot_step_last_duration_seconds",
                        "entrepot_asset_rows", "entrepot_rows", "entrepot_asset_freshness_seconds");
        assertThat(metrics.find("http_server_requests_seconds_count", Map.of("route", "/api/audit", "status", "200")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(1.0);
        assertThat(metrics.find("entrepot_http_errors_total", Map.of("code", "UNAUTHENTICATED")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(1.0);
        assertThat(metrics.find("entrepot_run_last_duration_seconds", Map.of("job", "daily")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(90.0);
        assertThat(metrics.find("entrepot_run_last_success", Map.of("job", "daily")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(1.0);
        assertThat(metrics.find("entrepot_step_last_success", Map.of("job", "daily", "step", "dbt_build")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(0.0);
        assertThat(metrics.find("entrepot_step_last_duration_seconds", Map.of("step", "production_sync")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(60.0);
        assertThat(metrics.find("entrepot_rows", Map.of("stage", "ingested")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(12_500.0);
        assertThat(metrics.find("entrepot_rows", Map.of("stage", "published")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(9_000.0);
        assertThat(metrics.find("entrepot_asset_freshness_seconds", Map.of("asset", "production/housing")))
                .singleElement().extracting(PrometheusText.Sample::value).satisfies(age ->
                        assertThat(age).isGreaterThanOrEqualTo(330.0));
    }

    @Test
    void aPostToHealthIsRefusedAsJson() {
        Http.Answer answer = Http.send(HttpRequest.newBuilder(at("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(answer.status()).isIn(404, 405);
    }
}
