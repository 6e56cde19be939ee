package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrepot serve} from the packaged jar, as a user runs it: it prints its URL, answers a token from
 * {@code entrepot token issue} over HTTP, and stops on SIGTERM (Ctrl-C), writing its audit log first.
 */
class ServeCommandIT {

    private static final String SECRET = "a-serve-command-test-secret-longer-than-32-bytes";

    @TempDir
    Path directory;

    private Path project() throws Exception {
        ServedJar.writeHousingBi(directory.resolve("bi.duckdb"));
        Files.writeString(directory.resolve("semantic.yml"), ServedJar.HOUSING_SEMANTIC);
        Files.writeString(directory.resolve("access.yml"), """
                version: 1
                roles:
                  admin:
                    description: "Tout (everything)."
                    audit_log: true
                    grants:
                      - cubes: ["*"]
                  analyst:
                    description: "National."
                    grants:
                      - cubes: ["*"]
                """);
        Path settings = directory.resolve("entrepot.yml");
        Files.writeString(settings, "orchestrator:\n  store: runs.sqlite\nserve:\n  port: 0\n  database: bi.duckdb\n"
                + "  jwt_secret: " + SECRET + "\n");
        return settings;
    }

    @Test
    void servesUntilStoppedAndAnswersAnIssuedToken() throws Exception {
        Path settings = project();
        String token = CommandRun.of("token", "issue", "--role", "analyst", "--subject", "it", "--config",
                settings.toString()).out().strip();
        Process process = ServedJar.serve(settings);
        try {
            URI url = ServedJar.printedAddress(process,
                    Pattern.compile("Entrepôt API on (http://127\\.0\\.0\\.1:\\d+/)graphql"));

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(url.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(url.resolve("/graphql"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"query\": \"{ housing(measures: [vacant_count], dimensions: [{dimension: departement}])"
                                    + " { rows { departement vacant_count } } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"data_version\":\"v1\"");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode rows = new ObjectMapper().readTree(answer.body()).path("data").path("housing").path("rows");
            assertThat(rows).hasSize(2);

            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
        // The audit record was written before the process ended.
        CommandRun audit = CommandRun.of("audit", "list", "--json", "--config", settings.toString());
        JsonNode records = new ObjectMapper().readTree(audit.out());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("subject").asText()).isEqualTo("it");
        assertThat(records.get(0).path("rows").asLong()).isEqualTo(2);
    }
}
