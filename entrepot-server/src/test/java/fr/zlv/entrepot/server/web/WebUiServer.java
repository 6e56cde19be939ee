package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.warehouse.JobsFile;
import fr.zlv.entrepot.orchestrator.warehouse.WarehouseDefinitions;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.SemanticOptions;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.server.EntrepotServer;
import fr.zlv.entrepot.server.auth.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole server as {@code entrepot serve} runs it, on real parts: the programme's {@code warehouse/semantic.yml},
 * {@code access.yml} and {@code dashboards/} over a small published BI file ({@link DemoBiFile}), and an orchestrator
 * whose assets are a little dbt project's (seeds and models on a DuckDB warehouse, a job that builds, a job that
 * fails, a schedule, a row-count check), its runs in a SQLite run store, its docs site under {@code /catalog/}.
 */
final class WebUiServer implements AutoCloseable {

    static final String SECRET = "the-web-ui-test-secret-is-longer-than-32-bytes";
    /** The programme's project, two levels up from the module. */
    static final Path WAREHOUSE = Path.of("..", "warehouse").toAbsolutePath().normalize();

    final Path directory;
    final Path biFile;
    final RunStore store;
    final Orchestrator orchestrator;
    final SemanticApi semantic;
    final EntrepotServer server;
    private final TokenIssuer issuer;

    private WebUiServer(Path directory, Path biFile, RunStore store, Orchestrator orchestrator, SemanticApi semantic,
                        EntrepotServer server, TokenIssuer issuer) {
        this.directory = directory;
        this.biFile = biFile;
        this.store = store;
        this.orchestrator = orchestrator;
        this.semantic = semantic;
        this.server = server;
        this.issuer = issuer;
    }

    static WebUiServer start(Path directory) throws Exception {
        Path project = writeProject(directory);
        Path warehouseFile = directory.resolve("warehouse.duckdb");
        DbtEngine.Options dbt = DbtEngine.Options.of(project.resolve("dbt"))
                .withEnvironment(Map.of("ENTREPOT_WAREHOUSE", warehouseFile.toString()));
        // The catalog: the docs site of the little project.
        try (DbtEngine engine = DbtEngine.load(dbt)) {
            engine.docs(true);
        }
        Definitions definitions = WarehouseDefinitions.build(new WarehouseDefinitions.Inputs(
                new WarehouseSettings(warehouseFile.toString(), null, 2, null), ProductionSettings.defaults(),
                List.of(), null, dbt, JobsFile.load(project.resolve("jobs.yml")), Clock.systemUTC()));
        Path biFile = DemoBiFile.write(directory.resolve("bi.duckdb"));
        RunStore store = RunStores.open(directory.resolve("runs.sqlite").toString());
        Orchestrator orchestrator = new Orchestrator(definitions, store, Orchestrator.Options.defaults()
                .withThreads(2).withHeartbeat(Duration.ofSeconds(2)));
        Path semanticYml = WAREHOUSE.resolve("semantic.yml");
        Path accessYml = WAREHOUSE.resolve("access.yml");
        Path dbtProject = WAREHOUSE.resolve("dbt");
        Path publishYml = WAREHOUSE.resolve("publish.yml");
        SemanticApi semantic = Semantic.open(semanticYml, accessYml, dbtProject, publishYml, biFile,
                SemanticOptions.defaults());
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(SECRET)).withLimits(100_000, 65_536, 30);
        WebUi web = WebUi.create(settings, new WebUi.Sources(definitions, store, orchestrator,
                project.resolve("dbt").resolve("target"), WAREHOUSE.resolve("dashboards"),
                Semantic.validate(semanticYml, accessYml, dbtProject, publishYml, biFile).model()));
        EntrepotServer server = EntrepotServer.start(settings, semantic, store,
                EntrepotServer.Options.defaults().withWeb(web));
        return new WebUiServer(directory, biFile, store, orchestrator, semantic, server, new TokenIssuer(settings));
    }

    /** A little dbt project: numbers and what is built from them, and a model that cannot build. */
    private static Path writeProject(Path directory) throws IOException {
        Path project = directory.resolve("project");
        write(project.resolve("jobs.yml"), """
                jobs:
                  build_numbers:
                    description: The numbers and what is built from them.
                    select: numbers+
                  build_broken:
                    description: A model whose SQL names a column that does not exist.
                    select: broken
                schedules:
                  nightly:
                    job: build_numbers
                    cron: "@daily"
                    timezone: Europe/Paris
                checks:
                  - select: main/big_numbers
                    name: enough_numbers
                    row_count: {min: 1}
                    blocking: true
                """);
        write(project.resolve("dbt/dbt_project.yml"), "name: little\nprofile: little\nmodels:\n  little:\n"
                + "    +materialized: table\n");
        write(project.resolve("dbt/profiles.yml"), "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: \"{{ env_var('ENTREPOT_WAREHOUSE') }}\"\n");
        write(project.resolve("dbt/seeds/numbers.csv"), "n\n1\n2\n3\n");
        write(project.resolve("dbt/models/big_numbers.sql"), "select n * 100 as n from {{ ref('numbers') }}\n");
        write(project.resolve("dbt/models/even_numbers.sql"), "select n from {{ ref('big_numbers') }}"
                + " where n % 200 = 0\n");
        write(project.resolve("dbt/models/broken.sql"), "select no_such_column from (select 1 as n)\n");
        write(project.resolve("dbt/models/schema.yml"), """
                version: 2
                models:
                  - name: big_numbers
                    description: The numbers, a hundred times larger.
                    columns:
                      - name: n
                        description: A large number.
                        data_tests: [not_null]
                """);
        return project;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    URI url() {
        return server.url();
    }

    String token(String role) {
        return token(role, Map.of());
    }

    String token(String role, Map<String, List<String>> territories) {
        return issuer.issue(new TokenIssuer.Grant(role + "-user", role, territories, Duration.ofHours(1))).token();
    }

    /** Runs a job here and waits for its end. */
    RunRecord run(String job) {
        return orchestrator.await(orchestrator.runJob(job, "test"), Duration.ofMinutes(2));
    }

    @Override
    public void close() {
        server.close();
        orchestrator.close();
        semantic.close();
        store.close();
    }
}
