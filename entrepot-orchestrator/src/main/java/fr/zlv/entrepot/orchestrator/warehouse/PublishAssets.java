package fr.zlv.entrepot.orchestrator.warehouse;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.PublishSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectStore;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.dbt.graph.ColumnInfo;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.privacy.PrivacyCheck;
import fr.zlv.entrepot.orchestrator.privacy.PrivacyGate;
import fr.zlv.entrepot.orchestrator.run.Materialization;
import fr.zlv.entrepot.orchestrator.run.RetryPolicy;
import fr.zlv.entrepot.orchestrator.run.StepContext;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.publish.Backups;
import fr.zlv.entrepot.publish.BiFilePublisher;
import fr.zlv.entrepot.publish.DatabaseExport;
import fr.zlv.entrepot.publish.MotherDuck;
import fr.zlv.entrepot.publish.ObjectStoragePublisher;
import fr.zlv.entrepot.publish.ParquetExport;
import fr.zlv.entrepot.publish.PostgresPublisher;
import fr.zlv.entrepot.publish.PublicationGate;
import fr.zlv.entrepot.publish.PublicationReport;
import fr.zlv.entrepot.publish.PublishPlan;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import fr.zlv.entrepot.publish.TableDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The publication targets as assets, each built from the marts it publishes:
 * <ul>
 *   <li>{@code publish/bi/<name>}: the BI DuckDB file's tables, all written by one step (one file, swapped in);</li>
 *   <li>{@code publish/postgres/<name>}: the PostgreSQL serving schema's tables (when a URL is set), one step;</li>
 *   <li>{@code publish/s3}: the BI file and the Parquet exports uploaded (when a location is set);</li>
 *   <li>{@code publish/backup}: a copy of the warehouse after the build, with retention;</li>
 *   <li>{@code publish/export} (tag {@code manual}): EXPORT DATABASE; {@code publish/motherduck} when MD_TOKEN is set.</li>
 * </ul>
 * With a PostgreSQL warehouse, the BI file and the serving schema are copied from its {@code marts} schema, the
 * Parquet files are exported from the BI file, and the DuckDB-only assets (backup, export, motherduck) are not
 * defined: the database's own backups do their job.
 * Every table goes through the PII gate (the privacy check) first.
 */
public final class PublishAssets {

    /** What publication needs: its settings, the tables, where to upload (null: nowhere), the environment. */
    public record Publication(PublishSettings settings, PublishPlan plan, ObjectStore store, Map<String, String> environment) {
    }

    private final Publication publication;
    private final WarehouseSettings warehouseSettings;
    private final PrivacyCheck privacy;
    private final Map<String, Node> martNodes;
    private final Clock clock;

    PublishAssets(Publication publication, WarehouseSettings warehouseSettings, PrivacyCheck privacy,
                  Map<String, Node> martNodes, Clock clock) {
        this.publication = publication;
        this.warehouseSettings = warehouseSettings;
        this.privacy = privacy;
        this.martNodes = martNodes;
        this.clock = clock;
    }

    /** Adds the publication assets and their steps, for the plan's marts that are assets. */
    void addTo(List<AssetSpec> assets, List<StepSpec> steps, Set<AssetKey> known) {
        PublishPlan plan = publication.plan();
        List<PublishedTable> tables = new ArrayList<>();
        for (PublishedTable table : plan.tables()) {
            if (known.contains(AssetKey.of(plan.sourceSchema(), table.mart()))) {
                tables.add(table);
            }
        }
        if (tables.isEmpty()) {
            return;
        }
        PublishPlan available = new PublishPlan(plan.file(), plan.sourceSchema(), tables);
        Set<AssetKey> marts = new LinkedHashSet<>();
        tables.forEach(table -> marts.add(AssetKey.of(plan.sourceSchema(), table.mart())));

        List<AssetKey> biKeys = perTable(assets, "bi", tables, "The mart in the BI DuckDB file "
                + publication.settings().biPath());
        steps.add(new StepSpec("publish_bi", biKeys, RetryPolicy.NONE, true, context -> publishBi(context, available)));
        if (publication.settings().postgresUrl() != null) {
            List<AssetKey> pgKeys = perTable(assets, "postgres", tables, "The mart in the PostgreSQL serving schema "
                    + publication.settings().postgresSchema());
            steps.add(new StepSpec("publish_postgres", pgKeys, RetryPolicy.NONE, true,
                    context -> publishPostgres(context, available)));
        }
        if (publication.settings().objectStorage() != null && publication.store() != null) {
            AssetKey s3 = AssetKey.of("publish", "s3");
            assets.add(asset(s3, Set.copyOf(biKeys), "The BI file and the Parquet exports uploaded to "
                    + publication.settings().objectStorage() + ", versioned", Set.of("daily")));
            steps.add(StepSpec.single(s3, RetryPolicy.NONE, true, context -> upload(context, available, s3)));
        }
        if (warehouseSettings.isPostgres()) {
            // Backups, EXPORT DATABASE and MotherDuck copy a DuckDB file; a PostgreSQL warehouse is backed up by its
            // own tools (pg_dump, the server's backups), so these assets do not exist for it.
            return;
        }
        AssetKey backup = AssetKey.of("publish", "backup");
        assets.add(asset(backup, marts, "A copy of the warehouse after the build, in "
                + publication.settings().backupDirectory(), Set.of("daily")));
        steps.add(StepSpec.single(backup, RetryPolicy.NONE, true, context -> backup(context, backup)));
        AssetKey export = AssetKey.of("publish", "export");
        assets.add(asset(export, marts, "The whole warehouse exported (EXPORT DATABASE) to "
                + publication.settings().exportDirectory(), Set.of("manual")));
        steps.add(StepSpec.single(export, RetryPolicy.NONE, true, context -> export(context, export)));
        String token = publication.environment().get("MD_TOKEN");
        if (token != null && !token.isBlank()) {
            AssetKey motherduck = AssetKey.of("publish", "motherduck");
            assets.add(asset(motherduck, marts, "The warehouse copied to MotherDuck database "
                    + publication.settings().motherduckDatabase(), Set.of("daily")));
            steps.add(StepSpec.single(motherduck, RetryPolicy.NONE, true,
                    context -> motherduck(context, motherduck, token)));
        }
    }

    private List<AssetKey> perTable(List<AssetSpec> assets, String target, List<PublishedTable> tables,
                                    String description) {
        List<AssetKey> keys = new ArrayList<>();
        for (PublishedTable table : tables) {
            AssetKey key = AssetKey.of("publish", target, table.name());
            keys.add(key);
            assets.add(asset(key, Set.of(AssetKey.of(publication.plan().sourceSchema(), table.mart())),
                    description + ", as " + table.name() + ".", Set.of("daily")));
        }
        return keys;
    }

    private static AssetSpec asset(AssetKey key, Set<AssetKey> upstream, String description, Set<String> tags) {
        return new AssetSpec(key, upstream, "publish", "publication", "data team", description, tags, List.of());
    }

    /** The PII gate on a connection to the open warehouse; no dbt project means no classification: refuse. */
    private PublicationGate gate(Connection connection) {
        if (privacy == null) {
            return (schema, table) -> List.of("no dbt project classifies its columns (the privacy check needs one)");
        }
        return new PrivacyGate(privacy, connection);
    }

    private void publishBi(StepContext context, PublishPlan plan) throws Exception {
        try (Warehouse warehouse = Warehouse.open(warehouseSettings); Connection connection = warehouse.connect()) {
            PublicationReport report = new BiFilePublisher().publish(warehouse, plan, gate(connection),
                    Path.of(publication.settings().biPath()));
            reportTables(context, "bi", report);
        }
    }

    private void publishPostgres(StepContext context, PublishPlan plan) throws Exception {
        Map<String, TableDocs> docs = new LinkedHashMap<>();
        for (PublishedTable table : plan.tables()) {
            Node node = martNodes.get(table.mart());
            if (node != null) {
                Map<String, String> columns = new LinkedHashMap<>();
                for (Map.Entry<String, ColumnInfo> column : node.columns().entrySet()) {
                    columns.put(column.getKey(), column.getValue().description());
                }
                docs.put(table.mart(), new TableDocs(node.description(), columns, List.of()));
            }
        }
        try (Warehouse warehouse = Warehouse.open(warehouseSettings); Connection connection = warehouse.connect()) {
            PublicationReport report = PostgresPublisher.publish(warehouse, plan, gate(connection),
                    publication.settings().postgresUrl(), publication.settings().postgresSchema(),
                    publication.settings().postgresReaderRole(), docs);
            reportTables(context, "postgres", report);
        }
    }

    private void upload(StepContext context, PublishPlan plan, AssetKey key) throws Exception {
        Path biFile = Path.of(publication.settings().biPath());
        if (!Files.isRegularFile(biFile)) {
            throw EntrepotException.failed("The BI file " + biFile + " is not there to upload.",
                    "Materialize publish/bi first.", null);
        }
        Path parquetDirectory = Files.createTempDirectory("entrepot-parquet-");
        try (Warehouse warehouse = Warehouse.open(warehouseSettings); Connection connection = warehouse.connect()) {
            // A PostgreSQL warehouse cannot write Parquet: the BI file, which holds the published marts, does.
            ParquetExport.Result parquet = warehouse.isPostgres()
                    ? ParquetExport.export(biFile, plan, gate(connection), parquetDirectory)
                    : ParquetExport.export(warehouse, plan, gate(connection), parquetDirectory);
            ObjectStoragePublisher publisher = new ObjectStoragePublisher(publication.store(),
                    Location.parse(publication.settings().objectStorage()), publication.settings().keepVersions());
            PublicationReport report = publisher.upload(biFile, parquet.paths(),
                    ObjectStoragePublisher.newVersion(clock.instant()));
            context.log("Uploaded version " + report.version() + " to " + report.location() + " ("
                    + report.bytes() / (1 << 20) + " MB)");
            context.materialized(key, new Materialization(null, null, Map.of("version", report.version(),
                    "location", report.location(), "bytes", report.bytes())));
        } finally {
            try (var files = Files.walk(parquetDirectory)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private void backup(StepContext context, AssetKey key) {
        Backups backups = new Backups(Path.of(publication.settings().backupDirectory()),
                publication.settings().keepDaily(), publication.settings().keepMonthly());
        try (Warehouse warehouse = Warehouse.open(warehouseSettings)) {
            Backups.Backup backup = backups.backup(warehouse, clock.instant());
            context.log("Backup " + backup.name() + " in " + backup.file() + " (" + backup.bytes() / (1 << 20) + " MB)");
            context.materialized(key, new Materialization(null, null, Map.of("backup", backup.name(),
                    "bytes", backup.bytes())));
        }
    }

    private void export(StepContext context, AssetKey key) {
        try (Warehouse warehouse = Warehouse.open(warehouseSettings)) {
            PublicationReport report = new DatabaseExport(clock).export(warehouse,
                    Location.parse(publication.settings().exportDirectory()), publication.store());
            context.log("Exported to " + report.location());
            context.materialized(key, new Materialization(report.rows(), null, Map.of("location", report.location())));
        }
    }

    private void motherduck(StepContext context, AssetKey key, String token) {
        try (Warehouse warehouse = Warehouse.open(warehouseSettings)) {
            PublicationReport report = MotherDuck.copy(warehouse, publication.settings().motherduckDatabase(), token);
            if (report.skipped() != null) {
                // The extension cannot load here (offline): said, and the rest of the publication goes on.
                context.warn("MotherDuck skipped: " + report.skipped());
            }
            context.materialized(key, new Materialization(report.rows(), null, report.skipped() == null ? Map.of()
                    : Map.of("skipped", report.skipped())));
        }
    }

    private void reportTables(StepContext context, String target, PublicationReport report) {
        context.log("Published " + report.tables().size() + " tables, " + report.rows() + " rows, to "
                + report.location() + " (version " + report.version() + ", "
                + String.format(java.util.Locale.ROOT, "%.1f s", report.seconds()) + ")");
        for (PublicationReport.TableCount table : report.tables()) {
            AssetKey key = AssetKey.of("publish", target, table.name());
            if (context.selected().contains(key)) {
                context.materialized(key, new Materialization(table.rows(), null, Map.of("version", report.version())));
            }
        }
    }
}
