package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator's commands on a small warehouse whose assets are a dbt project's: output, history, exit codes. */
class OrchestratorCommandsTest {

    @TempDir
    Path home;

    private final ObjectMapper json = new ObjectMapper();

    private void write(String path, String text) throws IOException {
        new TestHome(home).write(path, text);
    }

    @BeforeEach
    void aWarehouseWithADbtProject() throws IOException {
        write("entrepot.yml", """
                warehouse:
                  path: data/warehouse.duckdb
                orchestrator:
                  jobs: jobs.yml
                  store: data/runs.sqlite
                """);
        write("jobs.yml", """
                jobs:
                  build_numbers:
                    description: The numbers and what is built from them.
                    select: numbers+
                schedules:
                  nightly:
                    job: build_numbers
                    cron: "@daily"
                    timezone: Europe/Paris
                checks:
                  - select: main/big_numbers
                    name: enough_numbers
                    row_count: {min: 10}
                    blocking: true
                """);
        write("dbt/dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    +materialized: table\n");
        write("dbt/profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: \"{{ env_var('ENTREPOT_WAREHOUSE') }}\"\n");
        write("dbt/seeds/numbers.csv", "n\n1\n2\n3\n");
        write("dbt/models/big_numbers.sql", "select n * 100 as n from {{ ref('numbers') }}\n");
    }

    private CommandRun entrepot(String... args) {
        return new TestHome(home).entrepot(args);
    }

    @Test
    void aJobRunsIsStoredAndCanBeLookedAt() throws IOException {
        JsonNode jobs = json.readTree(entrepot("jobs", "list", "--json").out());
        assertThat(jobs.get(0).get("job").asText()).isEqualTo("build_numbers");
        assertThat(jobs.get(0).get("assets").asInt()).isEqualTo(2);

        CommandRun run = entrepot("run", "build_numbers");
        // The blocking row-count check fails on 3 rows: the run fails and says why.
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Step dbt_build started").contains("Step dbt_build succeeded")
                .contains("Check enough_numbers on main/big_numbers: FAILED (blocking), 3 rows: below the minimum 10")
                .contains("blocking checks failed: enough_numbers on main/big_numbers");
        assertThat(run.err()).contains("The run failed.").contains("entrepot runs reexecute");

        JsonNode runs = json.readTree(entrepot("runs", "list", "--json").out());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("failed");
        String runId = runs.get(0).get("run_id").asText();

        JsonNode asset = json.readTree(entrepot("assets", "show", "main/big_numbers", "--json").out());
        assertThat(asset.get("upstream").get(0).asText()).isEqualTo("main/numbers");
        assertThat(asset.get("materializations").get(0).get("rows").asLong()).isEqualTo(3);
        assertThat(asset.get("materializations").get(0).get("run_id").asText()).isEqualTo(runId);
        assertThat(entrepot("runs", "logs", runId.substring(0, 8)).out()).contains("dbt build --select");

        CommandRun checks = entrepot("checks", "run", "-s", "main/big_numbers");
        assertThat(checks.exitCode()).isEqualTo(1);
        assertThat(checks.out()).contains("enough_numbers").contains("FAILED");
    }

    @Test
    void aBrokenModelFailsTheRunAndReExecutionBuildsWhatWasLeft() throws IOException {
        write("jobs.yml", "jobs:\n  build_numbers:\n    select: numbers+\n");
        write("dbt/models/big_numbers.sql", "select n * 100 as n from {{ ref('numbers') }} where no_such_column\n");
        CommandRun broken = entrepot("materialize", "-s", "numbers+", "--json");
        assertThat(broken.exitCode()).isEqualTo(1);
        JsonNode failed = json.readTree(broken.out());
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("steps").get(0).get("error").asText()).contains("main/big_numbers error");

        write("dbt/models/big_numbers.sql", "select n * 100 as n from {{ ref('numbers') }}\n");
        CommandRun again = entrepot("runs", "reexecute", failed.get("run_id").asText(), "--json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode rerun = json.readTree(again.out());
        assertThat(rerun.get("selection").asText()).isEqualTo("key:main/big_numbers");
        assertThat(rerun.get("reexecution_of").asText()).isEqualTo(failed.get("run_id").asText());
    }

    @Test
    void schedulesAreListedAndSwitchedOff() throws IOException {
        JsonNode listed = json.readTree(entrepot("schedules", "list", "--json").out());
        assertThat(listed.get(0).get("status").asText()).isEqualTo("running");
        assertThat(listed.get(0).get("next_tick").asText()).contains("T00:00").endsWith("[Europe/Paris]");

        assertThat(entrepot("schedules", "off", "nightly").exitCode()).isZero();
        JsonNode after = json.readTree(entrepot("schedules", "list", "--json").out());
        assertThat(after.get(0).get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void wrongNamesAreInputErrors() throws IOException {
        CommandRun job = entrepot("run", "build_numbrs");
        assertThat(job.exitCode()).isEqualTo(2);
        assertThat(job.err()).contains("No job is named 'build_numbrs'").contains("Did you mean build_numbers?");

        CommandRun selection = entrepot("materialize", "-s", "main/big_numbrs");
        assertThat(selection.exitCode()).isEqualTo(2);
        assertThat(selection.err()).contains("No asset matches 'main/big_numbrs'").contains("main/big_numbers");

        write("jobs.yml", "jobs:\n  x:\n    selekt: numbers\n");
        CommandRun badFile = entrepot("jobs", "list");
        assertThat(badFile.exitCode()).isEqualTo(2);
        assertThat(badFile.err()).contains("jobs.yml, jobs.x.select is missing");
    }

    @Test
    void aQueuedRunIsBuiltByAWorker() throws IOException {
        write("jobs.yml", "jobs:\n  build_numbers:\n    select: numbers+\n");
        CommandRun queued = entrepot("run", "build_numbers", "--queue", "--json");
        assertThat(queued.exitCode()).as(queued.err()).isZero();
        JsonNode run = json.readTree(queued.out());
        assertThat(run.get("status").asText()).isEqualTo("queued");
        String runId = run.get("run_id").asText();
        // Nothing runs it until a worker comes.
        assertThat(json.readTree(entrepot("runs", "show", runId, "--json").out()).get("status").asText())
                .isEqualTo("queued");

        CommandRun worker = entrepot("worker", "--id", "test-worker", "--until-done", runId.substring(0, 8));
        assertThat(worker.exitCode()).as(worker.out() + worker.err()).isZero();
        assertThat(worker.out()).contains("Run " + runId + " ended: success").contains("step(s) completed by this worker");
        JsonNode done = json.readTree(entrepot("runs", "show", runId, "--json").out());
        assertThat(done.get("status").asText()).isEqualTo("success");
        JsonNode asset = json.readTree(entrepot("assets", "show", "main/big_numbers", "--json").out());
        assertThat(asset.get("materializations").get(0).get("run_id").asText()).isEqualTo(runId);
        assertThat(asset.get("materializations").get(0).get("rows").asLong()).isEqualTo(3);

        CommandRun unknown = entrepot("worker", "--until-done", "no-such-run");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("No run has the id no-such-run.");
    }
}
