package fr.zlv.entrepot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.OrchestratorSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.server.auth.TokenIssuer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's last step: the GraphQL API started over the BI file it published, asked over real HTTP by an analyst
 * (every département) and by a territorial team (its own département only), then stopped.
 */
final class DemoApi {

    static final String QUERY = "{ housing(measures: [vacant_count, vacancy_rate], dimensions: [{dimension: territory,"
            + " level: DEPARTEMENT}]) { rows { territory { code name } vacant_count vacancy_rate } } }";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoApi() {
    }

    /** A département's figures as the API gave them. */
    record Line(String code, String name, long vacant, double rate) {
        String text() {
            return String.format(Locale.ROOT, "    %-4s %-28s %,8d vacant housings (%.1f %%)", code, name, vacant,
                    rate * 100);
        }
    }

    static Map<String, Object> run(Settings settings, Path home, PrintStream out) {
        Path bi = home.resolve("bi").resolve("entrepot-bi.duckdb");
        Path runs = home.resolve("runs.sqlite");
        String configured = System.getenv("ENTREPOT_JWT_SECRET");
        Secret secret = configured != null && configured.length() >= 32 ? Secret.of(configured) : randomSecret();
        ServeSettings serve = settings.serve().withPaths(settings.serve().semantic(), settings.serve().access(),
                bi.toString()).withAddress("127.0.0.1", 0).withJwtSecret(secret);
        Settings demo = settings.withOrchestrator(new OrchestratorSettings(settings.orchestrator().jobs(),
                runs.toString())).withServe(serve);
        out.println("[7/7] API: the GraphQL server over the published BI file, asked over HTTP:");
        long started = System.nanoTime();
        try (ServeCommand.Running running = ServeCommand.start(demo, serve)) {
            URI graphql = running.server().url().resolve("/graphql");
            TokenIssuer issuer = new TokenIssuer(serve);
            String analyst = issuer.issue(new TokenIssuer.Grant("demo-analyst", "analyst", Map.of(),
                    Duration.ofHours(1))).token();
            List<Line> national = ask(graphql, analyst);
            if (national.isEmpty()) {
                throw EntrepotException.failed("The API answered no département for the analyst.",
                        "Look at the BI file: entrepot warehouse info --path " + bi, null);
            }
            out.println("  role analyst (national), POST " + graphql + ": vacant housings by département, "
                    + national.size() + " rows, the first:");
            national.stream().limit(4).forEach(line -> out.println(line.text()));
            String departement = national.get(0).code();
            String territorial = issuer.issue(new TokenIssuer.Grant("demo-ddt-" + departement, "territory",
                    Map.of("departement", List.of(departement)), Duration.ofHours(1))).token();
            List<Line> own = ask(graphql, territorial);
            out.println("  role territory, token for departement=" + departement + ": " + own.size() + " row"
                    + (own.size() == 1 ? "" : "s") + ", its own:");
            own.forEach(line -> out.println(line.text()));
            if (own.size() != 1 || !own.get(0).code().equals(departement)) {
                throw EntrepotException.failed("The territorial token for département " + departement + " saw "
                        + own.size() + " rows: " + own, "The access policy (warehouse/access.yml) is not applied.",
                        null);
            }
            running.server().flushAudit();
            out.println("  Both calls are in the audit log: ENTREPOT_STORE_URL=" + runs + " bin/entrepot audit list");
            out.println("  Serve it yourself (Ctrl-C stops it):");
            out.println("    export ENTREPOT_JWT_SECRET=\"$(openssl rand -base64 48)\"");
            // The demo's warehouse too, so runs launched from the web UI build the demo's warehouse.
            out.println("    ENTREPOT_WAREHOUSE=" + home.resolve("entrepot.duckdb") + " ENTREPOT_SERVE_DATABASE=" + bi
                    + " ENTREPOT_STORE_URL=" + runs + " bin/entrepot serve");
            out.println("    TOKEN=$(bin/entrepot token issue --role analyst --ttl 1h)");
            out.println("    curl -s http://127.0.0.1:8080/graphql -H \"Authorization: Bearer $TOKEN\""
                    + " -H 'Content-Type: application/json' -d '{\"query\": \"" + QUERY.replace("\"", "\\\"") + "\"}'");
            out.println("  Web UI (dashboards, lineage, runs, catalog), with that server running: http://127.0.0.1:8080/ui/");
            out.println("    sign in with a token: bin/entrepot token issue --role operator --ttl 8h"
                    + "   (or open http://127.0.0.1:8080/ui/?token=THE_TOKEN once)");
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("url", graphql.toString());
            summary.put("national_rows", national.size());
            summary.put("territory", departement);
            summary.put("territory_rows", own.size());
            summary.put("seconds", (System.nanoTime() - started) / 1e9);
            return summary;
        }
    }

    /** The demo query, over HTTP with a bearer token; rows by vacant housings, most first. */
    private static List<Line> ask(URI graphql, String token) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            String body = JSON.writeValueAsString(Map.of("query", QUERY));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(graphql)
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200 || answer.has("errors")) {
                throw EntrepotException.failed("The API answered " + response.statusCode() + ": " + response.body(),
                        "See warehouse/semantic.yml and warehouse/access.yml.", null);
            }
            List<Line> lines = new ArrayList<>();
            for (JsonNode row : answer.path("data").path("housing").path("rows")) {
                lines.add(new Line(row.path("territory").path("code").asText(),
                        row.path("territory").path("name").asText(""), row.path("vacant_count").asLong(),
                        row.path("vacancy_rate").asDouble()));
            }
            lines.sort(Comparator.comparingLong(Line::vacant).reversed().thenComparing(Line::code));
            return lines;
        } catch (IOException e) {
            throw EntrepotException.failed("Could not ask the demo's API at " + graphql + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EntrepotException.failed("Interrupted while asking the demo's API.", null, e);
        }
    }

    /** A secret for this run only, when ENTREPOT_JWT_SECRET is not set: the demo's tokens die with it. */
    private static Secret randomSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Secret.of(Base64.getEncoder().encodeToString(bytes));
    }
}
