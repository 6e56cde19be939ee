package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.store.AuditRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.server.auth.TokenVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** entrepot token issue, entrepot audit list, and the settings errors of entrepot serve. */
class ServerCommandsTest {

    private static final String SECRET = "a-cli-test-secret-that-is-comfortably-over-32-bytes";

    @TempDir
    Path directory;

    private Path settings(String serve) throws IOException {
        Path file = directory.resolve("entrepot.yml");
        Files.writeString(file, "orchestrator:\n  store: runs.sqlite\nserve:\n" + serve);
        return file;
    }

    @Test
    void anIssuedTokenIsAcceptedByTheServersVerifierWithItsRoleAndTerritories() throws Exception {
        Path config = settings("  jwt_secret: " + SECRET + "\n");

        CommandRun run = CommandRun.of("token", "issue", "--role", "territory", "--territory", "departement=75",
                "--territory", "departement=92", "--territory", "region=11", "--subject", "ddt-idf", "--ttl", "2h",
                "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String token = run.out().strip();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(run.err()).contains("ddt-idf").contains("territory");
        ServeSettings serve = ServeSettings.defaults().withJwtSecret(Secret.of(SECRET));
        Principal principal = new TokenVerifier(serve, Duration.ofSeconds(30)).verify("Bearer " + token);
        assertThat(principal).isEqualTo(new Principal("ddt-idf", "territory",
                Map.of("departement", List.of("75", "92"), "region", List.of("11"))));
    }

    @Test
    void jsonOutputGivesTheTokenAndItsExpiry() throws Exception {
        Path config = settings("  jwt_secret: " + SECRET + "\n");

        CommandRun run = CommandRun.of("token", "issue", "--role", "analyst", "--json", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("subject").asText()).isEqualTo("service-analyst");
        assertThat(json.path("role").asText()).isEqualTo("analyst");
        Instant issued = Instant.parse(json.path("issued_at").asText());
        assertThat(Instant.parse(json.path("expires_at").asText())).isEqualTo(issued.plus(Duration.ofDays(30)));
        assertThat(new TokenVerifier(ServeSettings.defaults().withJwtSecret(Secret.of(SECRET)), Duration.ofSeconds(1))
                .verify("Bearer " + json.path("token").asText()).role()).isEqualTo("analyst");
    }

    @Test
    void noTokenWithoutASecret() throws Exception {
        CommandRun run = CommandRun.of("token", "issue", "--role", "analyst", "--config", settings("  port: 8080\n")
                .toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: No JWT secret to sign tokens with.").contains("ENTREPOT_JWT_SECRET");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aShortSecretIsRefusedWithItsLength() throws Exception {
        CommandRun run = CommandRun.of("token", "issue", "--role", "analyst", "--config",
                settings("  jwt_secret: too-short\n").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is 9 bytes long; HS256 needs at least 32 bytes (256 bits)")
                .contains("openssl rand");
    }

    @Test
    void aBadTerritoryOrLifetimeIsNamed() throws Exception {
        String config = settings("  jwt_secret: " + SECRET + "\n").toString();

        CommandRun territory = CommandRun.of("token", "issue", "--role", "r", "--territory", "canton=12", "--config",
                config);
        CommandRun ttl = CommandRun.of("token", "issue", "--role", "r", "--ttl", "forever", "--config", config);

        assertThat(territory.exitCode()).isEqualTo(2);
        assertThat(territory.err()).contains("--territory canton=12 is not LEVEL=CODE");
        assertThat(ttl.exitCode()).isEqualTo(2);
        assertThat(ttl.err()).contains("'forever' is not a lifetime");
    }

    @Test
    void serveHasHelp() {
        CommandRun run = CommandRun.of("serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: entrepot serve").contains("--port").contains("/graphql");
        assertThat(CommandRun.of("token", "issue", "--help").out()).contains("--territory").contains("--ttl");
        assertThat(CommandRun.of("audit", "list", "--help").out()).contains("--since").contains("--subject");
    }

    @Test
    void serveNamesABadPortInTheSettings() throws Exception {
        CommandRun run = CommandRun.of("serve", "--config", settings("  port: 123456\n").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("serve.port must be between 0 and 65535");
    }

    @Test
    void serveRefusesABadPortOption() throws Exception {
        CommandRun run = CommandRun.of("serve", "--port", "70000", "--config",
                settings("  jwt_secret: " + SECRET + "\n").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--port 70000 is not a port");
    }

    @Test
    void serveRefusesAShortSecretOrNoKeysAtAllBeforeOpeningAnything() throws Exception {
        CommandRun shortSecret = CommandRun.of("serve", "--config", settings("  jwt_secret: only-twenty-bytes-long\n")
                .toString());
        CommandRun noKeys = CommandRun.of("serve", "--config", settings("  port: 8080\n").toString());

        assertThat(shortSecret.exitCode()).isEqualTo(2);
        assertThat(shortSecret.err()).contains("error: The JWT secret (serve.jwt_secret, ENTREPOT_JWT_SECRET) is 22"
                + " bytes long; HS256 needs at least 32 bytes (256 bits).");
        assertThat(noKeys.exitCode()).isEqualTo(2);
        assertThat(noKeys.err()).contains("No way to check tokens").contains("ENTREPOT_JWT_JWKS_URL");
    }

    @Test
    void serveNamesAMissingDatabase() throws Exception {
        CommandRun run = CommandRun.of("serve", "--config", settings("  jwt_secret: " + SECRET
                + "\n  database: nowhere/bi.duckdb\n").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nowhere/bi.duckdb, does not exist").contains("entrepot publish");
    }

    @Test
    void auditListShowsTheStoredRecordsFiltered() throws Exception {
        Path config = settings("  port: 8080\n");
        try (RunStore store = RunStores.open(directory.resolve("runs.sqlite").toString())) {
            Instant now = Instant.now();
            store.appendAudit(List.of(
                    AuditRecord.of(now.minus(Duration.ofDays(3)), "old", "analyst", "{ a }", null, 1, "ok", 200, 5,
                            List.of("housing"), "127.0.0.1"),
                    AuditRecord.of(now.minus(Duration.ofMinutes(5)), "ddt-75", "territory", "{ housing { count } }",
                            "{\"d\":\"75\"}", 12, "ok", 200, 7, List.of("housing"), "10.1.2.3"),
                    AuditRecord.of(now.minus(Duration.ofMinutes(1)), "ddt-75", "territory", "{ owners { count } }",
                            null, 0, "denied", 403, 2, List.of(), "10.1.2.3")));
        }

        CommandRun text = CommandRun.of("audit", "list", "--subject", "ddt-75", "--config", config.toString());
        CommandRun json = CommandRun.of("audit", "list", "--since", "1d", "--json", "--config", config.toString());
        CommandRun denied = CommandRun.of("audit", "list", "--outcome", "denied", "--json", "--config",
                config.toString());
        CommandRun badSince = CommandRun.of("audit", "list", "--since", "last week", "--config", config.toString());

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("ddt-75").contains("denied").contains("{ housing { count } }")
                .contains("10.1.2.3").doesNotContain("old");
        JsonNode records = new ObjectMapper().readTree(json.out());
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("denied");
        assertThat(records.get(1).path("rows").asLong()).isEqualTo(12);
        assertThat(records.get(1).path("variables").asText()).isEqualTo("{\"d\":\"75\"}");
        assertThat(new ObjectMapper().readTree(denied.out())).hasSize(1);
        assertThat(badSince.exitCode()).isEqualTo(2);
        assertThat(badSince.err()).contains("'last week' is not a time");
    }
}
