package fr.zlv.entrepot.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.server.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's endpoints over real HTTP: who may see and do what, the orchestrator's data as the pages read it, the
 * dashboards, the catalog, and the errors a user can cause.
 */
class WebUiApiIT {

    @TempDir
    static Path directory;

    private static WebUiServer server;
    private static WebClient http;
    private static String operator;
    private static String analyst;

    @BeforeAll
    static void start() throws Exception {
        server = WebUiServer.start(directory);
        http = new WebClient(server.url());
        operator = server.token("operator");
        analyst = server.token("analyst");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyDataEndpointWantsAToken() {
        for (String path : List.of("/api/ui/me", "/api/ui/dashboards", "/api/ops/assets", "/api/ops/runs",
                "/api/ops/jobs", "/api/ops/checks")) {
            Http.Answer answer = http.get(path, null);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(http.get("/api/ops/assets", "not.a.token").status()).isEqualTo(401);
        // The pages themselves are public: they hold no data.
        Http.Answer page = http.get("/ui/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<main id=\"view\"");
        assertThat(http.get("/", null).status()).isIn(200, 302);
    }

    @Test
    void meSaysWhetherTheRoleMayLaunch() {
        JsonNode me = http.get("/api/ui/me", operator).json();
        assertThat(me.get("role").asText()).isEqualTo("operator");
        assertThat(me.get("can_operate").asBoolean()).isTrue();
        assertThat(me.get("can_launch").asBoolean()).isTrue();
        JsonNode territorial = http.get("/api/ui/me", server.token("territory",
                Map.of("departement", List.of("01")))).json();
        assertThat(territorial.get("can_operate").asBoolean()).isFalse();
        assertThat(territorial.get("territories").get("departement").get(0).asText()).isEqualTo("01");
    }

    @Test
    void assetsCarryTheirLineageAndState() {
        JsonNode assets = http.get("/api/ops/assets", analyst).json();
        JsonNode big = find(assets.get("assets"), "main/big_numbers");
        assertThat(big.get("upstream").get(0).asText()).isEqualTo("main/numbers");
        assertThat(big.get("group").asText()).isNotBlank();
        assertThat(big.get("checks").asInt()).isGreaterThanOrEqualTo(2); // not_null test + enough_numbers

        JsonNode one = http.get("/api/ops/asset?key=main/big_numbers", analyst).json();
        assertThat(one.get("downstream").get(0).asText()).isEqualTo("main/even_numbers");
        assertThat(one.get("description").asText()).isEqualTo("The numbers, a hundred times larger.");

        Http.Answer unknown = http.get("/api/ops/asset?key=main/big_numbrs", analyst);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("No asset is named main/big_numbrs.");
    }

    @Test
    void anOperatorLaunchesAJobAndItsAssetsTurnMaterialized() {
        Http.Answer launched = http.post("/api/ops/runs", operator, Map.of("job", "build_numbers"));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String runId = launched.json().get("run_id").asText();
        RunRecord run = server.orchestrator.await(runId, Duration.ofMinutes(2));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);

        JsonNode page = http.get("/api/ops/runs/" + runId, analyst).json();
        assertThat(page.get("status").asText()).isEqualTo("success");
        assertThat(page.get("trigger").asText()).isEqualTo("web");
        assertThat(page.get("steps").get(0).get("assets").toString()).contains("main/big_numbers");
        JsonNode events = http.get("/api/ops/runs/" + runId + "/events?after=0", analyst).json();
        List<String> types = new ArrayList<>();
        events.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).contains("RUN_START", "STEP_START", "ASSET_MATERIALIZATION", "RUN_END");
        long last = events.get("events").get(events.get("events").size() - 1).get("seq").asLong();
        assertThat(http.get("/api/ops/runs/" + runId + "/events?after=" + last, analyst).json().get("events"))
                .isEmpty();

        JsonNode big = find(http.get("/api/ops/assets", analyst).json().get("assets"), "main/big_numbers");
        assertThat(big.get("status").asText()).isEqualTo("materialized");
        assertThat(big.get("last_materialization").get("rows").asLong()).isEqualTo(3);
        assertThat(big.get("last_materialization").get("run_id").asText()).isEqualTo(runId);
    }

    @Test
    void aFailedRunTellsItsErrorAndCanBeReExecuted() {
        RunRecord failed = server.run("build_broken");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILURE);
        JsonNode page = http.get("/api/ops/runs/" + failed.runId(), analyst).json();
        assertThat(page.get("status").asText()).isEqualTo("failure");
        assertThat(page.get("steps").get(0).get("error").asText()).contains("no_such_column");
        assertThat(page.get("can_reexecute").asBoolean()).isTrue();
        assertThat(find(http.get("/api/ops/assets", analyst).json().get("assets"), "main/broken")
                .get("status").asText()).isEqualTo("failed");

        // Analysts see it but may not act on it.
        Http.Answer refused = http.post("/api/ops/runs/" + failed.runId() + "/reexecute", analyst, Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).contains("operator").contains("analyst");

        Http.Answer again = http.post("/api/ops/runs/" + failed.runId() + "/reexecute", operator, Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        RunRecord rerun = server.orchestrator.await(again.json().get("run_id").asText(), Duration.ofMinutes(2));
        assertThat(rerun.reexecutionOf()).isEqualTo(failed.runId());
    }

    @Test
    void onlyOperatorsAndAdminsLaunch() {
        for (String role : List.of("analyst", "partner")) {
            Http.Answer refused = http.post("/api/ops/runs", server.token(role), Map.of("job", "build_numbers"));
            assertThat(refused.status()).as(role).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("FORBIDDEN");
        }
        Http.Answer territorial = http.post("/api/ops/runs", server.token("territory",
                Map.of("departement", List.of("01"))), Map.of("assets", List.of("main/numbers")));
        assertThat(territorial.status()).isEqualTo(403);
        Http.Answer schedule = http.post("/api/ops/schedules/nightly", analyst, Map.of("on", false));
        assertThat(schedule.status()).isEqualTo(403);
    }

    @Test
    void wrongRequestsAreOneClearMessage() {
        Http.Answer job = http.post("/api/ops/runs", operator, Map.of("job", "build_numbrs"));
        assertThat(job.status()).isEqualTo(400);
        assertThat(job.message()).contains("No job is named 'build_numbrs'").contains("Did you mean build_numbers?");

        Http.Answer selection = http.post("/api/ops/runs", operator, Map.of("assets", List.of("main/nope")));
        assertThat(selection.status()).isEqualTo(400);
        assertThat(selection.message()).contains("main/nope");

        Http.Answer nothing = http.post("/api/ops/runs", operator, Map.of());
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.message()).contains("{\"job\": NAME}");

        assertThat(http.get("/api/ops/runs/no-such-run", analyst).message()).isEqualTo("No run has the id no-such-run.");
        assertThat(http.get("/api/ops/runs?limit=many", analyst).message()).contains("limit must be a number");
        assertThat(http.post("/api/ops/schedules/nightly", operator, Map.of("on", "yes")).status()).isEqualTo(400);
        assertThat(http.post("/api/ops/schedules/nightlly", operator, Map.of("on", true)).message())
                .contains("nightlly");
    }

    @Test
    void schedulesShowTheirNextTickAndSwitch() {
        JsonNode jobs = http.get("/api/ops/jobs", analyst).json();
        JsonNode nightly = jobs.get("schedules").get(0);
        assertThat(nightly.get("schedule").asText()).isEqualTo("nightly");
        assertThat(nightly.get("timezone").asText()).isEqualTo("Europe/Paris");

        JsonNode off = http.post("/api/ops/schedules/nightly", operator, Map.of("on", false)).json();
        assertThat(off.get("on").asBoolean()).isFalse();
        assertThat(off.get("next_tick").isNull()).isTrue();
        JsonNode on = http.post("/api/ops/schedules/nightly", operator, Map.of("on", true)).json();
        assertThat(on.get("on").asBoolean()).isTrue();
        assertThat(on.get("next_tick").asText()).contains("T00:00");
        assertThat(find(jobs.get("jobs"), "build_numbers", "job").get("assets").asInt()).isEqualTo(3);
    }

    @Test
    void theDashboardsAreTheShippedOnes() {
        JsonNode list = http.get("/api/ui/dashboards", analyst).json().get("dashboards");
        List<String> ids = new ArrayList<>();
        list.forEach(d -> ids.add(d.get("id").asText()));
        assertThat(ids).containsExactly("housing_overview", "campaign_impact", "territorial_analysis", "monthly_kpis");
        JsonNode territorial = http.get("/api/ui/dashboards/territorial_analysis", analyst).json();
        assertThat(territorial.get("title").get("en").asText()).isEqualTo("Territorial analysis");
        assertThat(territorial.get("charts").get(0).get("drill").asBoolean()).isTrue();
        assertThat(http.get("/api/ui/dashboards/nope", analyst).status()).isEqualTo(404);
    }

    @Test
    void theCatalogWantsATokenAndStaysInItsDirectory() {
        Http.Answer anonymous = http.get("/catalog/", null);
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.header("Location")).isEqualTo("/ui/#/signin?next=%2Fcatalog%2F");

        Http.Answer index = http.get("/catalog/", analyst);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("docs-data.js");
        assertThat(http.get("/catalog/docs-data.js", analyst).body()).contains("big_numbers");
        assertThat(http.get("/catalog", analyst).status()).isEqualTo(302);
        for (String escape : List.of("/catalog/../../pom.xml", "/catalog/%2e%2e/%2e%2e/pom.xml",
                "/catalog/..%2f..%2fpom.xml")) {
            Http.Answer answer = http.get(escape, analyst);
            assertThat(answer.status()).as(escape).isIn(400, 404);
            assertThat(answer.body()).doesNotContain("<artifactId>");
        }
    }

    @Test
    void echartsComesFromTheJar() {
        Http.Answer echarts = http.get("/webjars/echarts/5.3.1/dist/echarts.esm.min.js", null);
        assertThat(echarts.status()).isEqualTo(200);
        assertThat(echarts.body()).contains("Apache");
    }

    private static JsonNode find(JsonNode array, String key) {
        return find(array, key, "key");
    }

    private static JsonNode find(JsonNode array, String value, String field) {
        for (JsonNode node : array) {
            if (node.get(field).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }
}
