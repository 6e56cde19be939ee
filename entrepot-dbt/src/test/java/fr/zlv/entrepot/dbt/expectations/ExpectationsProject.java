package fr.zlv.entrepot.dbt.expectations;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.dbt.run.NodeResult.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dbt project without dbt_packages/ (so the built-in dbt_expectations is the one used) whose models are small
 * tables (DuckDB's, or PostgreSQL's for the ITs) and whose properties file calls dbt_expectations tests; {@link #test()} builds the models into a
 * real DuckDB file and runs every test, as {@code dbt build} would.
 */
final class ExpectationsProject {

    private final Path directory;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final Map<String, String> environment;
    private Map<String, Object> vars = Map.of();

    ExpectationsProject(Path directory) {
        this(directory, "expected:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: expected.duckdb\n      threads: 2\n", Map.of());
    }

    /** The project with another profiles.yml (a postgres target), and the environment its env_var() calls read. */
    ExpectationsProject(Path directory, String profiles, Map<String, String> environment) {
        this.directory = directory;
        this.environment = environment;
        write("dbt_project.yml", "name: expected\nprofile: expected\nmodels:\n  expected:\n    +materialized: table\n");
        write("profiles.yml", profiles);
    }

    /** A model (a table) from its SQL. */
    ExpectationsProject model(String name, String sql) {
        write("models/" + name + ".sql", sql);
        return this;
    }

    /** The models' properties, with their tests. */
    ExpectationsProject properties(String yaml) {
        write("models/schema.yml", yaml);
        return this;
    }

    ExpectationsProject vars(Map<String, Object> values) {
        vars = values;
        return this;
    }

    /** Builds the models, runs the tests, and gives each test's result by name. */
    Map<String, NodeResult> test() {
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(directory).withEnvironment(environment).withVars(vars)
                .withConsole(console::add))) {
            DbtEngine.CommandResult run = dbt.run(Selection.ALL);
            assertThat(run.succeeded()).as("models built: %s", String.join("\n", console)).isTrue();
            Map<String, NodeResult> results = new LinkedHashMap<>();
            for (NodeResult result : dbt.test(Selection.ALL).results()) {
                results.put(result.node().name(), result);
            }
            return results;
        }
    }

    /** The SQL a test compiled to, as written under target/compiled. */
    String compiled(String testName) {
        try {
            return Files.readString(directory.resolve("target/compiled/expected/models/schema.yml/" + testName + ".sql"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertPasses(Map<String, NodeResult> results, String name) {
        assertOutcome(results, name, Status.PASS, 0);
    }

    static void assertFails(Map<String, NodeResult> results, String name, int failures) {
        assertOutcome(results, name, Status.FAIL, failures);
    }

    private static void assertOutcome(Map<String, NodeResult> results, String name, Status status, int failures) {
        NodeResult result = results.get(name);
        assertThat(result).as("test %s among %s", name, results.keySet()).isNotNull();
        assertThat(result.status()).as("%s: %s\n%s", name, result.message(), result.node().compiledCode())
                .isEqualTo(status);
        assertThat(result.failures()).as("failures of %s", name).isEqualTo(failures);
    }

    private void write(String path, String text) {
        try {
            Path file = directory.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
