package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's own dbt project (warehouse/dbt) with a {@code type: postgres} target: it parses and every model,
 * analysis and test compiles (a fresh, empty database: compiling asks the warehouse nothing that needs its tables).
 */
class WarehousePostgresIT {

    @TempDir
    Path directory;
    private TestPostgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("warehouse_it");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void theWarehouseProjectParsesAndCompilesForPostgresql() throws IOException {
        Path project = copy(Path.of("..", "warehouse", "dbt"), directory.resolve("dbt"));
        Path profiles = Files.createDirectories(directory.resolve("profiles"));
        Files.writeString(profiles.resolve("profiles.yml"), "entrepot:\n  target: pg\n  outputs:\n"
                + database.target("pg", "public", 4));
        List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
        DbtEngine.Options options = DbtEngine.Options.of(project).withProfilesDir(profiles)
                .withEnvironment(database.environment()).withConsole(console::add);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.project().profile().type()).isEqualTo("postgres");
            long models = dbt.project().manifest().nodes().values().stream()
                    .filter(node -> node.type() == ResourceType.MODEL).count();
            assertThat(models).isGreaterThan(60);
            dbt.parse();
            assertThat(project.resolve("target/manifest.json")).content().contains("\"adapter_type\" : \"postgres\"");

            DbtEngine.CommandResult compiled = dbt.compile(Selection.ALL);
            List<String> failures = compiled.results().stream().filter(NodeResult::failed)
                    .map(result -> result.node().name() + ": " + result.message()).toList();
            assertThat(failures).as(String.join("\n", console)).isEmpty();
            assertThat(compiled.results()).hasSize((int) models + (int) dbt.project().manifest().nodes().values().stream()
                    .filter(node -> node.type() == ResourceType.ANALYSIS).count());

            // Tests compile too (they are compiled when run): each one's SQL, written under target/compiled.
            List<String> testFailures = dbt.selected(Selection.ALL, java.util.EnumSet.of(ResourceType.TEST)).stream()
                    .map(test -> {
                        try {
                            new fr.zlv.entrepot.dbt.run.Compiler(dbt.project(), dbt.adapter(), dbt.targetDirectory())
                                    .compile(test, false);
                            return null;
                        } catch (RuntimeException e) {
                            return test.name() + ": " + e.getMessage();
                        }
                    }).filter(java.util.Objects::nonNull).toList();
            assertThat(testFailures).isEmpty();
            // The compiled SQL names the PostgreSQL database's relations.
            assertThat(Files.readString(project.resolve(
                    "target/compiled/zlv_warehouse/models/marts/production/marts_production_campaigns.sql")))
                    .contains("\"" + database.name() + "\".\"int\".");
        }
    }

    private static Path copy(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.filter(path -> !source.relativize(path).toString().startsWith("target"))
                    .collect(Collectors.toList())) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
