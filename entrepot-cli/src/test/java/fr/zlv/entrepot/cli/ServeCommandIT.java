package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrepot serve} from the packaged jar, as a user runs it: it prints its URL, answers a token from
 * {@code entrepot token issue} over HTTP, and stops on SIGTERM (Ctrl-C), writing its audit log first.
 */
class ServeCommandIT {

    private static final Path JAR = Path.of("target", "entrepot.jar");
    private static final String SECRET = "a-serve-command-test-secret-longer-than-32-bytes";

    @TempDir
    Path directory;

    private Path project() throws Exception {
        Path bi = directory.resolve("bi.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE housing AS SELECT * FROM (VALUES ('75', true), ('75', false), ('33', true))"
                    + " AS t(department_code, is_vacant)");
            statement.execute("CREATE TABLE published_at (version VARCHAR, published_at TIMESTAMP, table_name VARCHAR,"
                    + " source VARCHAR, row_count BIGINT)");
            statement.execute("INSERT INTO published_at VALUES ('v1', TIMESTAMP '2026-11-30 06:00:00', 'housing',"
                    + " 'marts.marts_housing', 3)");
        }
        Files.writeString(directory.resolve("semantic.yml"), """
                version: 1
                cubes:
                  housing:
                    table: housing
                    description: "Logements (housings)."
                    geography: {departement: department_code}
                    measures:
                      vacant_count:
                        type: count
                        description: "Logements vacants (vacant housings)."
                        filter: [{column: is_vacant, equals: true}]
                    dimensions:
                      departement:
                        description: "Département."
                        column: department_code
                """);
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString(), "serve", "--config", settings.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Pattern started = Pattern.compile("Entrepôt API on (http://127\\.0\\.0\\.1:\\d+/)graphql");
            URI url = null;
            StringBuilder printed = new StringBuilder();
            for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
                printed.append(line).append('\n');
                Matcher matcher = started.matcher(line);
                if (matcher.find()) {
                    url = URI.create(matcher.group(1));
                }
            }
            assertThat(url).as(printed.toString()).isNotNull();

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
