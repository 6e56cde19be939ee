package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI of {@code entrepot serve}, from the packaged jar: a warehouse project with a jobs file, a little dbt
 * project and a dashboard next to its semantic model. The UI's address is printed; an operator's token launches a job
 * through the UI's endpoint and the run is built by the serving process; the dashboard and the catalog are served; a
 * dashboard naming a measure the model lacks stops the server at start, naming file and line.
 */
class ServeWebIT {

    private static final String SECRET = "a-serve-web-test-secret-that-is-longer-than-32-bytes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    private void write(String path, String text) throws IOException {
        Path file = directory.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Path project() throws Exception {
        ServedJar.writeHousingBi(directory.resolve("bi.duckdb"));
        write("semantic.yml", ServedJar.HOUSING_SEMANTIC);
        write("access.yml", """
                version: 1
                roles:
                  operator:
                    description: "Exploitation (operators)."
                    grants:
                      - cubes: ["*"]
                """);
        write("dashboards/stock.yml", """
                title: {fr: Stock, en: Stock}
                charts:
                  - id: by_departement
                    title: {fr: Vacants par département, en: Vacant by département}
                    type: bar
                    cube: housing
                    measures: [vacant_count]
                    dimensions: [{dimension: departement}]
                """);
        write("jobs.yml", "jobs:\n  build_numbers:\n    description: The numbers.\n    select: numbers+\n");
        write("dbt/dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    +materialized: table\n");
        write("dbt/profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: \"{{ env_var('ENTREPOT_WAREHOUSE') }}\"\n");
        write("dbt/seeds/numbers.csv", "n\n1\n2\n3\n");
        write("dbt/models/big_numbers.sql", "select n * 100 as n from {{ ref('numbers') }}\n");
        // The BI file's table comes from a mart whose columns are classified: none is personal data.
        write("dbt/models/housing_mart.sql", "select '75' as department_code, true as is_vacant\n");
        write("dbt/models/housing_mart.yml", """
                version: 2
                models:
                  - name: housing_mart
                    columns:
                      - name: department_code
                        meta: {pii: none}
                      - name: is_vacant
                        meta: {pii: none}
                """);
        write("publish.yml", "source_schema: main\ntables:\n  - {mart: housing_mart, name: housing}\n");
        write("entrepot.yml", """
                warehouse:
                  path: warehouse.duckdb
                transform:
                  project_dir: dbt
                orchestrator:
                  jobs: jobs.yml
                  store: runs.sqlite
                serve:
                  port: 0
                  database: bi.duckdb
                  jwt_secret: %s
                """.formatted(SECRET));
        return directory.resolve("entrepot.yml");
    }

    private HttpResponse<String> get(URI url, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerServesTheUiAndRunsWhatAnOperatorLaunches() throws Exception {
        Path settings = project();
        assertThat(CommandRun.of("dbt", "docs", "generate", "--config", settings.toString()).exitCode()).isZero();
        String token = CommandRun.of("token", "issue", "--role", "operator", "--subject", "ops", "--config",
                settings.toString()).out().strip();
        Process process = ServedJar.serve(settings);
        try {
            URI ui = ServedJar.printedAddress(process,
                    Pattern.compile("Web UI on (http://127\\.0\\.0\\.1:\\d+/ui/) \\(sign in with a token"));

            HttpResponse<String> page = client.send(HttpRequest.newBuilder(ui).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("js/app.js");
            // ECharts comes from the jar (the one file of its WebJar the jar keeps).
            HttpResponse<String> echarts = client.send(HttpRequest.newBuilder(ui.resolve(
                    "/webjars/echarts/5.3.1/dist/echarts.esm.min.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(echarts.statusCode()).isEqualTo(200);
            assertThat(echarts.body()).contains("Apache");

            JsonNode me = JSON.readTree(get(ui.resolve("/api/ui/me"), token).body());
            assertThat(me.path("can_launch").asBoolean()).isTrue();
            JsonNode dashboards = JSON.readTree(get(ui.resolve("/api/ui/dashboards"), token).body());
            assertThat(dashboards.path("dashboards").get(0).path("id").asText()).isEqualTo("stock");
            assertThat(get(ui.resolve("/catalog/"), token).body()).contains("docs-data.js");

            HttpResponse<String> launched = client.send(HttpRequest.newBuilder(ui.resolve("/api/ops/runs"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"job\": \"build_numbers\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(launched.statusCode()).as(launched.body()).isEqualTo(201);
            String runId = JSON.readTree(launched.body()).path("run_id").asText();
            String status = "";
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (!status.equals("success") && !status.equals("failure") && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                status = JSON.readTree(get(ui.resolve("/api/ops/runs/" + runId), token).body()).path("status")
                        .asText();
            }
            assertThat(status).isEqualTo("success");
            JsonNode assets = JSON.readTree(get(ui.resolve("/api/ops/assets"), token).body()).path("assets");
            List<String> materialized = new ArrayList<>();
            assets.forEach(asset -> {
                if (asset.path("status").asText().equals("materialized")) {
                    materialized.add(asset.path("key").asText());
                }
            });
            assertThat(materialized).containsExactlyInAnyOrder("main/numbers", "main/big_numbers");

            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
        // The run is in the store the CLI reads.
        assertThat(CommandRun.of("runs", "list", "--config", settings.toString()).out()).contains("build_numbers");
    }

    @Test
    void aDashboardNamingAnUnknownMeasureStopsTheServerAtStart() throws Exception {
        Path settings = project();
        write("dashboards/stock.yml", Files.readString(directory.resolve("dashboards/stock.yml"))
                .replace("measures: [vacant_count]", "measures: [vacant_cont]"));
        CommandRun run = CommandRun.of("serve", "--config", settings.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("stock.yml, line 7").contains("no measure of cube housing named 'vacant_cont'")
                .contains("Did you mean 'vacant_count'?");
    }
}
