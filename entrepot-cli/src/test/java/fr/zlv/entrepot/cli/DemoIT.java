package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, run from the packaged jar as a user runs it. */
class DemoIT {

    private static final Path JAR = Path.of("target", "entrepot.jar");
    private static final String SHIPPED = Path.of("..", "warehouse", "entrepot.yml").toString();

    private record Result(int exitCode, String out, String err) {
    }

    private static Result entrepot(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theDemoBuildsAWarehouseFromNothingAndSaysWhereItIs(@TempDir Path workspace) throws Exception {
        Result demo = entrepot("demo", "--config", SHIPPED, "--workspace", workspace.toString(), "--housings", "2000",
                "--database", "entrepot_it_cli_demo");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("[1/3] PostgreSQL: ").contains("[2/3] Production database entrepot_it_cli_demo: 2,000 housings")
                .contains("production.housing").contains("Warehouse: " + workspace.resolve("entrepot.duckdb"));

        Result info = entrepot("warehouse", "info", "--json", "--config", SHIPPED, "--path",
                workspace.resolve("entrepot.duckdb").toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode tables = new ObjectMapper().readTree(info.out()).get("tables");
        assertThat(tables.get("production.housing").asLong()).isEqualTo(2000);
        assertThat(tables.size()).isEqualTo(20);
    }

    @Test
    void theDemoSpeaksJsonForMachines(@TempDir Path workspace) throws Exception {
        Result demo = entrepot("demo", "--json", "--config", SHIPPED, "--workspace", workspace.toString(),
                "--housings", "500", "--database", "entrepot_it_cli_demo_json");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(demo.out());
        assertThat(summary.get("warehouse").asText()).isEqualTo(workspace.resolve("entrepot.duckdb").toString());
        assertThat(summary.at("/production_sync/tables")).hasSize(19);
        assertThat(summary.at("/production_database/read_only_password").asText()).isEqualTo("********");
        assertThat(summary.at("/production_sync/tables/0/rows_per_second").asDouble()).isPositive();
    }

    @Test
    void theJarTellsItsVersion() throws Exception {
        Result version = entrepot("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("entrepot 0.1.0");
    }
}
