package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    private static final String SHIPPED = Path.of("..", "warehouse", "entrepot.yml").toString();

    @TempDir
    Path directory;

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"--help"}, {"demo", "--help"}, {"demo", "generate", "--help"},
                {"ingest", "--help"}, {"ingest", "production", "--help"}, {"config", "show", "--help"},
                {"config", "check", "--help"}, {"warehouse", "info", "--help"}}) {
            CommandRun run = CommandRun.of(command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).as(String.join(" ", command)).startsWith("Usage: entrepot");
        }
    }

    @Test
    void aWrongArgumentExitsWithTwoAndPointsAtTheHelp() {
        CommandRun run = CommandRun.of("ingest", "production", "--tabel", "owners");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: Unknown options: '--tabel'")
                .contains("hint: see `entrepot ingest production --help`.");
    }

    @Test
    void badSettingsExitWithTwoAndOneMessage() throws IOException {
        Path settings = directory.resolve("entrepot.yml");
        Files.writeString(settings, "warehouse:\n  thread: 4\n");

        CommandRun run = CommandRun.of("config", "check", "--config", settings.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: Settings error in " + settings.toAbsolutePath() + ", line 2: unknown key"
                + " 'warehouse.thread'.").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(CommandRun.of("config", "check", "--config", SHIPPED).exitCode()).isZero();
    }

    @Test
    void configShowMasksSecretsInTextAndJson() throws IOException {
        Path settings = directory.resolve("entrepot.yml");
        Files.writeString(settings, "production:\n  password: hunter2-secret\n");

        CommandRun text = CommandRun.of("config", "show", "--config", settings.toString());
        CommandRun json = CommandRun.of("config", "show", "--json", "--config", settings.toString());

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("production.password").contains("********").doesNotContain("hunter2");
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.at("/settings/production/password").asText()).isEqualTo("********");
        assertThat(json.out()).doesNotContain("hunter2");
    }

    @Test
    void anUnreachableProductionServerExitsWithOneAndAHint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path settings = directory.resolve("entrepot.yml");
        Files.writeString(settings, """
                warehouse:
                  path: w.duckdb
                production:
                  port: %d
                  password: do-not-print-me
                  tables:
                    - name: owners
                """.formatted(closedPort));

        CommandRun run = CommandRun.of("ingest", "production", "--config", settings.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: Cannot reach the production PostgreSQL at 127.0.0.1:" + closedPort)
                .contains("hint: Check POSTGRES_PRODUCTION_DB").doesNotContain("do-not-print-me");
    }

    @Test
    void warehouseInfoWithoutAWarehouseSaysHowToBuildOne() {
        CommandRun run = CommandRun.of("warehouse", "info", "--path", directory.resolve("none.duckdb").toString(),
                "--config", SHIPPED);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("There is no warehouse at").contains("entrepot demo");
    }
}
