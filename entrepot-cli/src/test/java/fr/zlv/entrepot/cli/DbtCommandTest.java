package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrepot dbt ...} as a user types it: output, artefacts and exit codes. */
class DbtCommandTest {

    private static final String SHIPPED = Path.of("..", "warehouse", "entrepot.yml").toString();

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aSmallProject() throws IOException {
        write("dbt_project.yml", "name: little\nprofile: little\nvars:\n  minimum: 0\nmodels:\n  little:\n"
                + "    marts:\n      +materialized: table\n");
        write("profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: little.duckdb\n      threads: 2\n");
        write("seeds/numbers.csv", "n,label\n1,one\n2,two\n3,three\n");
        write("models/staging/stg_numbers.sql", "select n, label from {{ ref('numbers') }}"
                + " where n > {{ var('minimum') }}\n");
        write("models/marts/big_numbers.sql", "select n * 100 as n, label from {{ ref('stg_numbers') }}\n");
    }

    private CommandRun dbt(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "dbt";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--project-dir";
        all[args.length + 2] = project.toString();
        return CommandRun.of(all);
    }

    @Test
    void buildPrintsDbtsLinesAndWritesTheArtefacts() {
        CommandRun build = dbt("build");

        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).contains("Found 2 models, 1 seed")
                .containsPattern("1 of 3 START seed file main.numbers \\.+ \\[RUN]")
                .containsPattern("OK created sql table model main.big_numbers \\.+ \\[CREATE TABLE \\(3 rows\\) in")
                .contains("Done. PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3");
        assertThat(project.resolve("target/manifest.json")).exists();
        assertThat(project.resolve("target/run_results.json")).exists();
        assertThat(project.resolve("target/compiled/little/models/marts/big_numbers.sql")).exists();
        assertThat(project.resolve("target/run/little/models/marts/big_numbers.sql")).exists();
    }

    @Test
    void jsonVarsAndSelection() throws IOException {
        CommandRun build = dbt("build", "--json", "--vars", "{minimum: 1}");
        assertThat(build.exitCode()).as(build.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(build.out());
        assertThat(summary.at("/counts/success").asInt()).isEqualTo(3);
        assertThat(summary.at("/results/2/unique_id").asText()).isEqualTo("model.little.big_numbers");

        CommandRun show = dbt("show", "-s", "big_numbers", "--json");
        assertThat(new ObjectMapper().readTree(show.out())).hasSize(2);

        CommandRun ls = dbt("ls", "-s", "+big_numbers", "--resource-type", "model");
        assertThat(ls.out().lines()).containsExactly("little.marts.big_numbers", "little.staging.stg_numbers");
        assertThat(dbt("ls", "--output", "path", "-s", "numbers").out().strip()).isEqualTo("seeds/numbers.csv");
    }

    @Test
    void aFailingModelExitsWithOneAndNamesIt() throws IOException {
        assertThat(dbt("build", "-q").exitCode()).isZero();
        write("models/marts/big_numbers.sql", "select n * 100 as n, missing_column from {{ ref('stg_numbers') }}\n");

        CommandRun run = dbt("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Completed with 1 error, 0 partial successes, and 0 warnings:")
                .contains("Database Error in model little.big_numbers (models/marts/big_numbers.sql)")
                .contains("missing_column").contains("Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2");
        CommandRun quiet = dbt("run", "-q");
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).contains("models/marts/big_numbers.sql");
        // The table built before is still there.
        assertThat(dbt("show", "--inline", "select count(*) as n from main.big_numbers").out()).contains("3");
    }

    @Test
    void aBrokenProjectExitsWithTwoAndSaysWhere() throws IOException {
        write("models/staging/stg_numbers.sql", "select n from {{ ref('number') }}\n");

        CommandRun run = dbt("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: Model 'stg_numbers' (models/staging/stg_numbers.sql) depends on a node"
                + " named 'number' which was not found.").contains("hint: Did you mean 'numbers'?");
    }

    @Test
    void testRunsTheDataTestsAndExitsWithOneWhenOneFails() throws IOException {
        write("models/properties.yml", "version: 2\nmodels:\n  - name: big_numbers\n    columns:\n"
                + "      - name: n\n        data_tests: [unique, not_null]\n      - name: label\n        data_tests:\n"
                + "          - accepted_values:\n              values: [one, two]\n");
        assertThat(dbt("build", "-q").exitCode()).isEqualTo(1);

        CommandRun test = dbt("test", "-s", "big_numbers");

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.out()).containsPattern("PASS unique_big_numbers_n \\.+ \\[PASS in")
                .containsPattern("FAIL 1 accepted_values_big_numbers_label__one__two \\.+ \\[FAIL 1 in")
                .contains("Done. PASS=2 WARN=0 ERROR=1 SKIP=0 TOTAL=3");
        assertThat(dbt("test", "-s", "big_numbers", "--exclude", "test_name:accepted_values").exitCode()).isZero();
    }

    @Test
    void sourceFreshnessExitsWithOneWhenASourceIsStale() throws IOException {
        write("models/sources.yml", "version: 2\nsources:\n  - name: lake\n    schema: main\n"
                + "    freshness: {error_after: {count: 1, period: day}}\n    loaded_at_field: loaded_at\n"
                + "    tables:\n      - name: deliveries\n");
        write("models/deliveries.sql", "{{ config(materialized='table') }}\n"
                + "select timestamp '2020-01-01 00:00:00' as loaded_at\n");
        assertThat(dbt("run", "-s", "deliveries", "-q").exitCode()).isZero();

        CommandRun freshness = dbt("source", "freshness");

        assertThat(freshness.exitCode()).isEqualTo(1);
        assertThat(freshness.out()).contains("ERROR STALE freshness of lake.deliveries");
        assertThat(project.resolve("target/sources.json")).exists();
    }

    @Test
    void debugAndClean() {
        CommandRun debug = dbt("debug");
        assertThat(debug.exitCode()).as(debug.out()).isZero();
        assertThat(debug.out()).contains("Connection test: [OK connection ok]").contains("All checks passed!");

        dbt("parse");
        assertThat(project.resolve("target/manifest.json")).exists();
        CommandRun clean = dbt("clean");
        assertThat(clean.out()).contains("Cleaned " + project.resolve("target"));
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(project.resolve("models")).exists();
    }

    @Test
    void debugFailsWithOneOnABadTarget() {
        CommandRun debug = dbt("debug", "--target", "prod");
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.out()).contains("Target 'prod' is not an output").contains("Some checks failed");
    }

    @Test
    void withoutProjectDirItRunsTheWarehouseProjectOfTheSettings() {
        CommandRun ls = CommandRun.of("dbt", "ls", "--config", SHIPPED, "-s", "marts_production_campaigns+");
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.out().lines()).contains("zlv_warehouse.marts.production.marts_production_campaigns",
                "zlv_warehouse.marts.production.marts_production_establishments");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"debug", "parse", "compile", "run", "seed", "snapshot", "test", "build", "ls",
                "clean", "show", "source freshness", "docs generate", "docs serve"}) {
            List<String> args = new java.util.ArrayList<>(List.of("dbt"));
            args.addAll(List.of(command.split(" ")));
            args.add("--help");
            CommandRun help = CommandRun.of(args.toArray(String[]::new));
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: entrepot dbt " + command);
        }
    }
}
