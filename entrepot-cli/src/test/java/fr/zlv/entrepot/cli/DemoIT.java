package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import fr.zlv.entrepot.orchestrator.store.StepStatus;
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
        assertThat(demo.out()).contains("[1/7] PostgreSQL: ").contains("[2/7] Production database entrepot_it_cli_demo: 2,000 housings")
                .contains("production.housing").contains("[4/7] Yearly files").contains("lovac.lovac_2019")
                .contains("[5/7] Transformations: the dbt project ")
                .containsPattern("Done\\. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+").contains("freshness of production.events")
                .contains("[6/7] Orchestrator: the daily job datawarehouse_synchronize_and_build")
                .contains("Step production_sync succeeded").contains("Step dbt_build succeeded")
                .contains("Step publish_bi succeeded").contains("Step publish_postgres succeeded")
                .contains("Step publish/backup succeeded").contains("Step publish/s3 succeeded")
                .contains("versioned uploads to s3://entrepot-published/bi (S3 server http://127.0.0.1:")
                .containsPattern("Exported the whole warehouse to s3://entrepot-published/export/entrepot-\\S+ and"
                        + " imported it back into \\S+: [\\d,]+ mart rows of [\\d,]+")
                .contains("[7/7] API: the GraphQL server over the published BI file")
                .contains("Web UI (dashboards, lineage, runs, catalog), with that server running: http://127.0.0.1:8080/ui/")
                .containsPattern("role analyst \\(national\\), POST http://127\\.0\\.0\\.1:\\d+/graphql: vacant housings by"
                        + " département, \\d+ rows")
                .containsPattern("role territory, token for departement=\\w+: 1 row, its own:")
                .contains("bin/entrepot serve").contains("bin/entrepot token issue --role analyst")
                .contains("Warehouse: " + workspace.resolve("entrepot.duckdb"));

        // The daily job's run, as the orchestrator stored it: both steps done, every production table and mart built.
        try (RunStore store = RunStores.open(workspace.resolve("runs.sqlite").toString())) {
            RunRecord run = store.runs("datawarehouse_synchronize_and_build", 5).get(0);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
            // The API's two calls, audited in the same store.
            assertThat(store.audit(fr.zlv.entrepot.orchestrator.store.AuditQuery.latest(10)))
                    .extracting(fr.zlv.entrepot.orchestrator.store.AuditRecord::role,
                            fr.zlv.entrepot.orchestrator.store.AuditRecord::outcome)
                    .containsExactly(tuple("territory", "ok"), tuple("analyst", "ok"));
            assertThat(store.steps(run.runId())).extracting(StepRecord::step, StepRecord::status)
                    .containsExactlyInAnyOrder(tuple("production_sync", StepStatus.SUCCESS),
                            tuple("dbt_build", StepStatus.SUCCESS), tuple("publish_bi", StepStatus.SUCCESS),
                            tuple("publish_postgres", StepStatus.SUCCESS), tuple("publish/backup", StepStatus.SUCCESS),
                            tuple("publish/s3", StepStatus.SUCCESS));
            assertThat(store.latestMaterializations().get(new AssetKey("production/housing")).rows()).isEqualTo(2000);
            assertThat(store.latestMaterializations().get(new AssetKey("production/housing")).schemaHash()).isNotBlank();
            assertThat(store.latestMaterializations()).containsKey(new AssetKey("marts/marts_production_campaigns"));
            assertThat(store.checkResults(new AssetKey("production/events"), 10))
                    .anySatisfy(check -> assertThat(check.check()).isEqualTo("events_freshness"));
        }

        // The export, imported back into a new file: the same marts.
        try (Connection imported = DriverManager.getConnection("jdbc:duckdb:"
                + workspace.resolve("imported/entrepot.duckdb"));
             Statement statement = imported.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM marts.marts_production_housing")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2000);
        }

        // The semantic layer over the demo's BI file gives the figures SQL gives, nationally and for a territory.
        Path bi = workspace.resolve("bi/entrepot-bi.duckdb");
        String question = "{ housing(measures: [vacant_count, count], dimensions: [{dimension: territory,"
                + " level: DEPARTEMENT}]) { rows { territory { code } vacant_count count } } }";
        Map<String, List<Long>> expected = new java.util.TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT department_code, count(*) FILTER (WHERE is_vacant),"
                     + " count(*) FROM housing GROUP BY department_code")) {
            while (rows.next()) {
                expected.put(rows.getString(1), List.of(rows.getLong(2), rows.getLong(3)));
            }
        }
        assertThat(expected).hasSizeGreaterThan(1);
        Result national = entrepot("semantic", "query", "--config", SHIPPED, "--bi", bi.toString(), question);
        assertThat(national.exitCode()).as(national.err()).isZero();
        assertThat(departements(national.out())).isEqualTo(expected);
        String first = expected.keySet().iterator().next();
        Result territorial = entrepot("semantic", "query", "--config", SHIPPED, "--bi", bi.toString(), "--role",
                "territory", "--territory", "departement=" + first, question);
        assertThat(territorial.exitCode()).as(territorial.err()).isZero();
        assertThat(departements(territorial.out())).isEqualTo(Map.of(first, expected.get(first)));

        // The published BI file: the marts under their published names, with the publication's history.
        try (Connection published = DriverManager.getConnection("jdbc:duckdb:" + bi);
             Statement statement = published.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM housing),"
                     + " (SELECT count(DISTINCT table_name) FROM published_at)")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2000);
            assertThat(rows.getLong(2)).isGreaterThanOrEqualTo(10);
        }

        Result info = entrepot("warehouse", "info", "--json", "--config", SHIPPED, "--path",
                workspace.resolve("entrepot.duckdb").toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode tables = new ObjectMapper().readTree(info.out()).get("tables");
        assertThat(tables.get("production.housing").asLong()).isEqualTo(2000);
        for (int year = 2019; year <= 2025; year++) {
            assertThat(tables.get("lovac.lovac_" + year).asLong()).as("LOVAC " + year).isPositive();
            assertThat(tables.get("lovac.lovac_" + year + "_rejects").asLong()).isZero();
        }
        assertThat(tables.get("ff.ff_2024").asLong()).isEqualTo(2000);
        assertThat(tables.get("external.insee_table_appartenance_geo_communes_2025").asLong()).isPositive();
        assertThat(tables.get("external.dgaln_zonage_abc").asLong()).isPositive();
        // The dbt project's marts, built on the synced production tables: one row per campaign.
        assertThat(tables.get("marts.marts_production_campaigns").asLong())
                .isEqualTo(tables.get("production.campaigns").asLong()).isPositive();
        assertThat(tables.get("marts.marts_production_establishments").asLong()).isPositive();

        // The yearly files describe the production's housings: every LOVAC 2025 housing is in production.
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + workspace.resolve("entrepot.duckdb"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), count(h.id) FROM lovac.lovac_2025 l"
                     + " LEFT JOIN production.housing h ON h.local_id = l.ff_idlocal")) {
            rows.next();
            assertThat(rows.getLong(2)).isEqualTo(rows.getLong(1)).isPositive();
        }
        // The exit-from-vacancy study on them: about a fifth of the vacant housings leave vacancy each year.
        assertThat(tables.get("marts.marts_admin_communes").asLong()).isEqualTo(tables.get("external.communes").asLong());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + workspace.resolve("entrepot.duckdb"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), avg(is_out_of_vacancy::int)"
                     + " FROM marts.marts_analysis_housing_out WHERE lovac_year = 2023")) {
            rows.next();
            assertThat(rows.getLong(1)).isPositive();
            assertThat(rows.getDouble(2)).isBetween(0.12, 0.3);
        }
    }

    @Test
    void theDemoSpeaksJsonForMachines(@TempDir Path workspace) throws Exception {
        Result demo = entrepot("demo", "--json", "--config", SHIPPED, "--workspace", workspace.toString(),
                "--housings", "500", "--database", "entrepot_it_cli_demo_json");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(demo.out());
        assertThat(summary.get("warehouse").asText()).isEqualTo(workspace.resolve("entrepot.duckdb").toString());
        assertThat(summary.at("/production_sync/tables")).hasSize(19);
        assertThat(summary.at("/files")).hasSize(25);
        assertThat(summary.at("/files/0/status").asText()).isEqualTo("loaded");
        assertThat(summary.at("/production_database/read_only_password").asText()).isEqualTo("********");
        assertThat(summary.at("/production_sync/tables/0/rows_per_second").asDouble()).isPositive();
        assertThat(summary.at("/transform/success").asBoolean()).isTrue();
        assertThat(summary.at("/transform/marts/marts.marts_production_campaigns").asLong()).isPositive();
        assertThat(Path.of(java.net.URI.create(summary.at("/transform/docs").asText()))).exists();
    }

    @Test
    void theDemoCanStopOnceTheWarehouseIsBuiltAndLeaveTheDailyJobToWorkers(@TempDir Path workspace) throws Exception {
        Result demo = entrepot("demo", "--json", "--skip-daily-job", "--config", SHIPPED, "--workspace",
                workspace.toString(), "--housings", "300", "--database", "entrepot_it_cli_demo_skip");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(demo.out());
        assertThat(summary.at("/transform/marts/marts.marts_production_campaigns").asLong()).isPositive();
        // The job did not run: no run in a store, nothing published, no API tour of a BI file that is not there.
        assertThat(summary.has("orchestrator")).isFalse();
        assertThat(summary.has("api")).isFalse();
        assertThat(workspace.resolve("runs.sqlite")).doesNotExist();
        assertThat(workspace.resolve("bi")).doesNotExist();
        assertThat(workspace.resolve("entrepot.duckdb")).exists();
    }

    @Test
    void theJarTellsItsVersion() throws Exception {
        Result version = entrepot("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("entrepot 0.1.0");
    }

    /** Département code → [vacant_count, count] from a semantic query's JSON answer. */
    private static Map<String, List<Long>> departements(String answer) throws IOException {
        Map<String, List<Long>> figures = new java.util.TreeMap<>();
        for (JsonNode row : new ObjectMapper().readTree(answer).at("/data/housing/rows")) {
            figures.put(row.at("/territory/code").asText(), List.of(row.get("vacant_count").asLong(),
                    row.get("count").asLong()));
        }
        return figures;
    }
}
