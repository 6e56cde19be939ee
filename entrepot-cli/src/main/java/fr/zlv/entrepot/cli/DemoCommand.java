package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import fr.zlv.entrepot.ingest.production.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.time.Duration;
import fr.zlv.entrepot.core.settings.OrchestratorSettings;
import fr.zlv.entrepot.core.settings.PublishSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.publish.DatabaseExport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.store.CheckResultRecord;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole warehouse on synthetic data, from nothing.",
                "Finds or starts a PostgreSQL, creates a production database shaped like the programme's, syncs it",
                "into a DuckDB warehouse, writes the yearly files to a local S3 server and loads them with the",
                "source catalog, and prints what was done and where it is."},
        subcommands = {DemoCommand.Generate.class, DemoCommand.Files.class})
final class DemoCommand implements Runnable {

    static final String DATABASE = "zlv_demo";
    private static final String DAILY_JOB = "datawarehouse_synchronize_and_build";

    @ParentCommand
    EntrepotCommand root;

    @Mixin
    ScaleOptions scale;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where the demo's warehouse goes (default: demo.workspace of the settings).")
    Path workspace;

    @Option(names = "--database", defaultValue = DATABASE,
            description = "Name of the synthetic production database (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--files-directory", paramLabel = "DIR",
            description = "Write the yearly files to this directory and load them from there, instead of the local S3"
                    + " server.")
    Path filesDirectory;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    /** Where the demo builds its warehouse. */
    enum Engine { duckdb, postgres }

    @Option(names = "--warehouse", paramLabel = "ENGINE", defaultValue = "duckdb",
            description = "duckdb (default: a file in the workspace) or postgres (a database <database>_warehouse on"
                    + " the demo's PostgreSQL, recreated): where the production tables and yearly files are loaded and"
                    + " the dbt project builds.")
    Engine engine;

    @Option(names = "--skip-daily-job",
            description = "Stop once the warehouse is built: leave the daily job (and with it the publications, the"
                    + " export and the API tour) to `entrepot run` or to workers.")
    boolean skipDailyJob;

    @Override
    public void run() {
        LoadedSettings loaded = root.settings();
        Settings settings = loaded.settings();
        Path home = (workspace != null ? workspace : Path.of(settings.demo().workspace())).toAbsolutePath().normalize();
        PrintStream out = json ? nullStream() : System.out;
        Map<String, Object> summary = new LinkedHashMap<>();
        out.println("Entrepôt demo: synthetic production data in, warehouse built.");

        try (PostgresServer server = PostgresLocator.find(settings.demo().postgresUrl(), home.resolve("postgres"))) {
            out.println("[1/7] PostgreSQL: " + server.description());
            summary.put("postgres", server.description());

            ProductionDatabase.Result production = generate(server, database, scale.housings, scale.seed, !json);
            out.println("[2/7] Production database " + database + ": " + Output.count(scale.housings) + " housings, "
                    + Output.count(production.totalRows()) + " rows in " + production.rows().size() + " tables ("
                    + Output.decimal(production.millis() / 1000.0, 1) + " s)");
            summary.put("production_database", production);

            ProductionSettings readOnly = settings.production().withConnection(server.host(), server.port(), database,
                    production.readOnlyUser(), production.readOnlyPassword());
            WarehouseSettings warehouseSettings = engine == Engine.postgres
                    ? settings.warehouse().withPath(recreateWarehouseDatabase(server, database + "_warehouse"))
                    : settings.warehouse().withPath(home.resolve("entrepot.duckdb").toString()).withTempDirectory(null);
            LoadedSettings demoSettings = loaded.withSettings(settings.withProduction(readOnly)
                    .withWarehouse(warehouseSettings));
            try (Warehouse warehouse = Warehouse.open(warehouseSettings)) {
                SyncReport report = IngestCommand.sync(demoSettings, warehouse, List.of(), !json);
                out.println("[3/7] Production synced into the warehouse (read-only user " + production.readOnlyUser() + "):");
                SyncPrinter.print(out, report);
                summary.put("production_sync", report);

                DemoLake.Result lake = DemoLake.run(loaded, home, filesDirectory, scale.seed, scale.housings, warehouse,
                        !json);
                out.println("[4/7] Yearly files (LOVAC 2019-2025, land files, INSEE, DGFIP, DGALN, URSSAF, ANAH): "
                        + lake.files() + " files " + (filesDirectory == null ? "on the S3 server " : "in ")
                        + lake.place() + ", loaded with the catalog:");
                FilesPrinter.print(out, lake.outcomes());
                summary.put("files", FilesPrinter.json(lake.outcomes()));
                IngestCommand.failIfAny(lake.outcomes());
            }
            Transform transform = transform(settings, warehouseSettings, out);
            summary.put("transform", transform.summary());
            if (!transform.result().succeeded()) {
                throw EntrepotException.failed("The dbt project " + settings.transform().projectDir()
                        + " did not build: see the errors above.", "Fix the model, then: entrepot dbt build --select"
                        + " result:error+ (or the whole project).", null);
            }
            if (skipDailyJob) {
                // Nothing is published yet: the API tour reads the published BI file, so it waits for the job too.
                out.println("[6/7] Daily job not run (--skip-daily-job), nothing published: with settings naming this"
                        + " warehouse and production database, entrepot run " + DAILY_JOB + " runs it (or --queue"
                        + " and entrepot worker).");
                out.println("[7/7] API tour skipped: it reads the BI file the daily job publishes.");
            } else {
                summary.put("orchestrator", orchestrate(demoSettings, home, server, database, out));
                summary.put("api", DemoApi.run(settings, home, out));
            }
            String where = warehouseSettings.isPostgres() ? Warehouse.describeUrl(warehouseSettings.path())
                    : warehouseSettings.path();
            summary.put("warehouse", where);
            out.println();
            out.println("Warehouse: " + where);
            out.println("Look inside: entrepot warehouse info" + (warehouseSettings.isPostgres()
                    ? "   (with ENTREPOT_WAREHOUSE='" + server.jdbcUrl(database + "_warehouse") + "?user="
                    + server.adminUser() + "')" : " --path " + warehouseSettings.path()));
            if (server.embedded()) {
                out.println("(The embedded PostgreSQL stops with this command; the warehouse stays.)");
            }
        }
        if (json) {
            Output.json(System.out, summary);
        }
    }

    /**
     * Step 6: the daily job of warehouse/jobs.yml run by the orchestrator, as the daemon runs it each morning: the
     * production sync, then dbt build (tests as checks), then the asset checks; history in the demo's run store.
     */
    private static Map<String, Object> orchestrate(LoadedSettings demoSettings, Path home, PostgresServer server,
                                                   String database, PrintStream out) {
        String job = DAILY_JOB;
        Settings settings = demoSettings.settings();
        // The demo publishes beside its warehouse: the BI file and backups in its workspace, a serving schema in the
        // demo's own PostgreSQL database, versioned uploads and the whole-warehouse export on a local S3 server.
        Secret secret = Secret.of("demo-secret-key");
        try (LocalS3Server s3 = LocalS3Server.start(home.resolve("s3"), "demo-access-key", secret)) {
            StorageSettings storage = settings.storage().withEndpoint(s3.endpoint().toString(), s3.accessKey(), secret)
                    .withCacheDirectory(home.resolve("cache").toString());
            try (ObjectStores store = new ObjectStores(storage)) {
                store.ensureBucket(PUBLISHED_BUCKET);
            }
            PublishSettings publish = settings.publish();
            PublishSettings demoPublish = new PublishSettings(publish.tables(),
                    home.resolve("bi/entrepot-bi.duckdb").toString(), server.jdbcUrlWithCredentials(database), "serving",
                    // BI tools log in as the demo's read-only role: it may read the serving schema, nothing more.
                    publish.postgresReaderRole() != null ? publish.postgresReaderRole() : ProductionDatabase.READONLY_ROLE,
                    "s3://" + PUBLISHED_BUCKET + "/bi", publish.keepVersions(), "s3://" + PUBLISHED_BUCKET + "/export",
                    publish.motherduckDatabase(), home.resolve("backups").toString(), publish.keepDaily(),
                    publish.keepMonthly());
            LoadedSettings orchestrated = demoSettings.withSettings(settings.withOrchestrator(
                    new OrchestratorSettings(settings.orchestrator().jobs(), home.resolve("runs.sqlite").toString()))
                    .withPublish(demoPublish).withStorage(storage));
            out.println("[6/7] Orchestrator: the daily job " + job + " (warehouse/jobs.yml), run as the daemon runs it:");
            try (Platform platform = Platform.open(orchestrated, demoEnvironment());
                 Orchestrator orchestrator = platform.orchestrator()) {
                orchestrator.addListener(event -> {
                    if (event.type().startsWith("STEP_")
                            || event.type().equals("CHECK") && event.level() != RunEvent.Level.INFO) {
                        out.println("  " + RunPrinter.line(event));
                    }
                });
                long requested = System.nanoTime();
                String runId = orchestrator.runJob(job, "demo");
                RunRecord run = orchestrator.await(runId, Duration.ofHours(1));
                double seconds = (System.nanoTime() - requested) / 1e9;
                List<CheckResultRecord> checks = new ArrayList<>();
                platform.definitions.graph().specs().forEach(asset -> platform.store.checkResults(asset.key(), 50)
                        .stream().filter(check -> runId.equals(check.runId())).forEach(checks::add));
                long passed = checks.stream().filter(CheckResultRecord::passed).count();
                out.println("  Run " + runId + ": " + RunPrinter.status(run) + " in " + Output.decimal(seconds, 1) + " s, "
                        + platform.store.steps(runId).size() + " steps, " + checks.size() + " checks (" + passed
                        + " passed, " + (checks.size() - passed) + " warnings or failures)");
                java.util.Set<String> published = new java.util.LinkedHashSet<>();
                platform.store.steps(runId).stream().filter(step -> step.step().startsWith("publish_")
                        || step.step().startsWith("publish/")).filter(step -> step.status().name().equals("SUCCESS"))
                        .forEach(step -> published.add(step.step()));
                out.println("  Published (" + String.join(", ", published) + "): BI file " + demoPublish.biPath()
                        + ", PostgreSQL schema serving in " + database + " (readable by " + demoPublish.postgresReaderRole()
                        + "), versioned uploads to "
                        + demoPublish.objectStorage() + " (S3 server " + s3.endpoint() + ")"
                        // A PostgreSQL warehouse has no DuckDB file to back up: its server's backups do that.
                        + (settings.warehouse().isPostgres() ? "" : ", backups in " + demoPublish.backupDirectory()));
                out.println("  History: ENTREPOT_STORE_URL=" + home.resolve("runs.sqlite") + " bin/entrepot runs show "
                        + runId.substring(0, 8) + "   (also: runs logs, assets list, schedules list)");
                if (run.status() != RunStatus.SUCCESS) {
                    throw EntrepotException.failed("The daily job " + RunPrinter.status(run) + ": " + run.message(),
                            "See its logs: entrepot runs logs " + runId, null);
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("run_id", runId);
                result.put("status", RunPrinter.status(run));
                result.put("seconds", seconds);
                result.put("steps", platform.store.steps(runId).size());
                result.put("checks", checks.size());
                result.put("checks_passed", passed);
                result.put("store", home.resolve("runs.sqlite").toString());
                if (settings.warehouse().isPostgres()) {
                    // EXPORT DATABASE is DuckDB's; a PostgreSQL warehouse moves with pg_dump.
                    out.println("  (The whole-warehouse export and import is DuckDB's; a PostgreSQL warehouse moves with"
                            + " pg_dump/pg_restore.)");
                } else {
                    result.put("export", exportAndImport(orchestrator, platform, home, out));
                }
                return result;
            }
        }
    }

    /**
     * The whole warehouse exported to the S3 server (the on-demand {@code publish/export} asset, as
     * {@code entrepot publish --target export} runs it), then imported back into a new file whose marts are counted
     * against the warehouse's: the round trip a team uses to move the warehouse to another machine.
     */
    private static Map<String, Object> exportAndImport(Orchestrator orchestrator, Platform platform, Path home,
                                                       PrintStream out) {
        long started = System.nanoTime();
        String runId = orchestrator.materialize("key:publish/export", "demo");
        RunRecord run = orchestrator.await(runId, Duration.ofHours(1));
        if (run.status() != RunStatus.SUCCESS) {
            throw EntrepotException.failed("The export " + RunPrinter.status(run) + ": " + run.message(),
                    "See its logs: entrepot runs logs " + runId, null);
        }
        String location = platform.store.materializations(AssetKey.of("publish", "export"), 1).get(0)
                .metadata().get("location").toString();
        Path imported = home.resolve("imported/entrepot.duckdb");
        deleteDuckDbFile(imported);
        new DatabaseExport().importFrom(Location.parse(location), imported, platform.lake.store);
        double seconds = (System.nanoTime() - started) / 1e9;
        String settingsPath = platform.loaded.settings().warehouse().path();
        long martRows = martRows(Path.of(settingsPath));
        long importedRows = martRows(imported);
        out.println("  Exported the whole warehouse to " + location + " and imported it back into " + imported + ": "
                + String.format(java.util.Locale.ROOT, "%,d", importedRows) + " mart rows of "
                + String.format(java.util.Locale.ROOT, "%,d", martRows) + " (" + Output.decimal(seconds, 1) + " s)");
        if (importedRows != martRows) {
            throw EntrepotException.failed("The imported warehouse " + imported + " has " + importedRows
                    + " mart rows, the warehouse " + martRows + ".", "Compare the two: entrepot warehouse info --path "
                    + imported, null);
        }
        return Map.of("location", location, "imported", imported.toString(), "mart_rows", importedRows,
                "seconds", seconds);
    }

    /**
     * Drops and creates the demo's PostgreSQL warehouse database; returns its JDBC URL (with the administrator's
     * credentials, as the settings' warehouse.path).
     */
    private static String recreateWarehouseDatabase(PostgresServer server, String name) {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (java.sql.SQLException e) {
            throw EntrepotException.failed("Cannot create the demo's warehouse database " + name + " on "
                    + server.description() + ": " + e.getMessage(), "The demo's PostgreSQL user must be able to create"
                    + " databases; or run the demo with --warehouse duckdb.", e);
        }
        return server.jdbcUrlWithCredentials(name);
    }

    /** The rows of every table in schema marts of a DuckDB file, read-only. */
    private static long martRows(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly());
             Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = 'marts' AND table_type = 'BASE TABLE'")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            long total = 0;
            for (String name : names) {
                try (Statement count = connection.createStatement();
                     ResultSet rows = count.executeQuery("SELECT count(*) FROM marts.\"" + name + "\"")) {
                    rows.next();
                    total += rows.getLong(1);
                }
            }
            return total;
        } catch (java.sql.SQLException e) {
            throw EntrepotException.failed("Cannot count the marts of " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static void deleteDuckDbFile(Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
        } catch (java.io.IOException e) {
            throw EntrepotException.failed("Cannot remove the previous demo import " + file + ": " + e.getMessage(),
                    null, e);
        }
    }

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        return properties;
    }

    /**
     * The key that pseudonymises personal data, when none is set: a fixed one, for synthetic data only (the real
     * warehouse refuses to build without ENTREPOT_PII_KEY).
     */
    static Map<String, String> demoEnvironment() {
        String key = System.getenv("ENTREPOT_PII_KEY");
        return key == null || key.isBlank() ? Map.of("ENTREPOT_PII_KEY", DEMO_PII_KEY) : Map.of();
    }

    /** The demo S3 server's bucket for what the daily job publishes. */
    private static final String PUBLISHED_BUCKET = "entrepot-published";

    static final String DEMO_PII_KEY = "entrepot-demo-key-for-synthetic-data-only";

    /** What the transform step did: the dbt build's result and the marts' row counts. */
    record Transform(DbtEngine.CommandResult result, Map<String, Long> marts, Path docs) {
        Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("success", result.succeeded());
            summary.put("nodes", result.results().size());
            summary.put("errors", result.count(NodeResult.Status.ERROR));
            summary.put("elapsed_seconds", result.elapsedSeconds());
            summary.put("marts", marts);
            summary.put("docs", docs.toUri().toString());
            return summary;
        }
    }

    /** Step 5: the warehouse's dbt project built by Entrepôt's engine on the demo's warehouse. */
    private static Transform transform(Settings settings, WarehouseSettings warehouse, PrintStream out) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(demoEnvironment());
        environment.putAll(warehouse.profileEnvironment());
        Path projectDir = Path.of(settings.transform().projectDir());
        DbtEngine.Options options = DbtEngine.Options.of(projectDir).withEnvironment(environment)
                .withTarget(warehouse.dbtTarget(settings.transform().target()))
                .withConsole(line -> out.println(line.isEmpty() ? "" : "  " + line));
        out.println("[5/7] Transformations: the dbt project " + projectDir + " built by Entrepôt's engine:");
        try (DbtEngine dbt = DbtEngine.load(options)) {
            DbtEngine.CommandResult result = dbt.build(DbtEngine.Selection.ALL);
            Map<String, Long> marts = new LinkedHashMap<>();
            for (NodeResult node : result.results()) {
                if (node.status() == NodeResult.Status.SUCCESS && node.node().config().materialized().equals("table")) {
                    Object rows = dbt.adapter().query("select count(*) from " + node.node().schema() + "."
                            + node.node().alias()).first();
                    marts.put(node.node().schema() + "." + node.node().alias(), ((Number) rows).longValue());
                }
            }
            // How recent the synced production is (the demo's data stops at its as-of date: a warning is expected).
            dbt.sourceFreshness(DbtEngine.Selection.ALL);
            Path docs = dbt.docs(true).indexFile();
            out.println("  Tables built: " + marts.entrySet().stream()
                    .map(entry -> entry.getKey() + " (" + Output.count(entry.getValue()) + " rows)")
                    .reduce((a, b) -> a + ", " + b).orElse("none"));
            out.println("  Documentation: " + docs.toUri() + " (or: entrepot dbt docs serve, then http://127.0.0.1:8080/)");
            return new Transform(result, marts, docs);
        }
    }

    static ProductionDatabase.Result generate(PostgresServer server, String database, long housings, long seed,
                                              boolean showProgress) {
        Progress[] bar = new Progress[1];
        try {
            return ProductionDatabase.create(server, database, ProductionDatabase.Options.of(housings, seed),
                    new ProductionDatabase.Progress() {
                        @Override
                        public synchronized void step(String description, long expectedRows) {
                            if (expectedRows > 0) {
                                bar[0] = Progress.start("generating", expectedRows, "rows", showProgress);
                            } else if (bar[0] != null) {
                                bar[0].close();
                                bar[0] = null;
                            }
                        }

                        @Override
                        public synchronized void rows(long count) {
                            if (bar[0] != null) {
                                bar[0].add(count);
                            }
                        }
                    });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
    }

    private static PrintStream nullStream() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    @Command(name = "files", mixinStandardHelpOptions = true,
            description = "Only write the demo's yearly and reference files into a directory (for trials and benchmarks).")
    static final class Files implements Runnable {

        @ParentCommand
        DemoCommand demo;

        @Mixin
        ScaleOptions scale;

        @Option(names = "--directory", paramLabel = "DIR", required = true, description = "Where to write them.")
        Path directory;

        @Override
        public void run() {
            List<fr.zlv.entrepot.demo.files.LakeFiles.LakeFile> files = fr.zlv.entrepot.demo.files.LakeFiles
                    .write(scale.seed, scale.housings, directory);
            List<List<String>> rows = new java.util.ArrayList<>();
            rows.add(List.of("source", "file", "MB"));
            for (fr.zlv.entrepot.demo.files.LakeFiles.LakeFile file : files) {
                long size;
                try {
                    size = java.nio.file.Files.size(file.file());
                } catch (java.io.IOException e) {
                    size = -1;
                }
                rows.add(List.of(file.source(), file.file().toString(), Output.megabytes(size)));
            }
            System.out.println("Wrote " + files.size() + " files for " + Output.count(scale.housings) + " housings:");
            Output.table(System.out, rows, false);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Only create the synthetic production database (for benchmarks and trials).")
    static final class Generate implements Runnable {

        @ParentCommand
        DemoCommand demo;

        @Mixin
        ScaleOptions scale;

        @Option(names = "--database", defaultValue = DATABASE, description = "Database to (re)create (default: ${DEFAULT-VALUE}).")
        String database;

        @Option(names = "--postgres-url", paramLabel = "URL",
                description = "Server to create it on: postgresql://user:password@host:port (default: demo.postgres_url,"
                        + " then 127.0.0.1:5432).")
        String postgresUrl;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            Settings settings = demo.root.settings().settings();
            String url = postgresUrl != null ? postgresUrl : settings.demo().postgresUrl();
            Path home = Path.of(settings.demo().workspace()).resolve("postgres");
            try (PostgresServer server = PostgresLocator.find(url, home)) {
                ProductionDatabase.Result result = generate(server, database, scale.housings, scale.seed, !json);
                if (json) {
                    Output.json(System.out, result);
                    return;
                }
                System.out.println("Created " + database + " on " + server.description() + " in "
                        + Output.decimal(result.millis() / 1000.0, 1) + " s; read-only user " + result.readOnlyUser()
                        + (result.postgis() ? ", PostGIS geometries" : ", geometries as WKB bytea"));
                List<List<String>> rows = new java.util.ArrayList<>();
                rows.add(List.of("table", "rows"));
                result.rows().forEach((table, count) -> rows.add(List.of(table, Output.count(count))));
                rows.add(List.of("total", Output.count(result.totalRows())));
                Output.table(System.out, rows);
                if (server.embedded()) {
                    System.out.println("Note: this server was embedded and stops now; use a running server to keep it.");
                }
            }
        }
    }
}
