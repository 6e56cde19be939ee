package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publication to a real S3-protocol server on 127.0.0.1 (S3Proxy, in memory), through ingest's S3 store. */
class ObjectStoragePublisherIT {

    private static final Secret SECRET = Secret.of("publish-secret-key");
    private static final String BUCKET = "published";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static LocalS3Server s3;

    @TempDir
    Path work;

    private ObjectStores store;
    private Location base;

    @BeforeAll
    static void startServer() {
        s3 = LocalS3Server.start(null, "publish-access-key", SECRET);
        try (ObjectStores store = new ObjectStores(settings(SECRET))) {
            store.ensureBucket(BUCKET);
        }
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    /** Parts of 5 MB (S3's smallest), two at a time: a BI file of a few MB goes up in several parts. */
    private static StorageSettings settings(Secret secret) {
        return StorageSettings.defaults().withEndpoint(s3.endpoint().toString(), "publish-access-key", secret)
                .withParts(5, 2, 2);
    }

    @BeforeEach
    void openStore() {
        store = new ObjectStores(settings(SECRET));
        // Each test publishes under its own prefix of the one bucket.
        base = Location.parse("s3://" + BUCKET + "/run" + PREFIXES.incrementAndGet() + "/bi");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theBiFileAndTheParquetExportsMakeTheRoundTripWithEqualChecksums() throws Exception {
        Path bi = PublishedFiles.biFile(work.resolve("entrepot-bi.duckdb"), "v1", 200_000);
        assertThat(Files.size(bi)).as("large enough for a multipart upload").isGreaterThan(5L * 1024 * 1024);
        List<Path> parquet;
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(work.resolve("w.duckdb").toString(), null, 1,
                null))) {
            warehouse.execute("CREATE SCHEMA marts");
            warehouse.execute("CREATE TABLE marts.marts_production_housing AS SELECT i AS id, i % 13 AS years"
                    + " FROM range(40000) t(i)");
            warehouse.execute("CREATE TABLE marts.marts_stats_monthly_global AS SELECT 'month ' || i AS month"
                    + " FROM range(24) t(i)");
            PublishPlan plan = new PublishPlan(work.resolve("publish.yml"), "marts", List.of(
                    new PublishPlan.PublishedTable("marts_production_housing", "housing", true),
                    new PublishPlan.PublishedTable("marts_stats_monthly_global", "stats_activity_monthly", true)));
            parquet = ParquetExport.export(warehouse, plan, PublicationGate.OPEN, work.resolve("parquet")).paths();
        }
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, base, 3);

        PublicationReport report = publisher.upload(bi, parquet, "20261130T080000000Z");
        Path target = work.resolve("downloaded");
        ObjectStoragePublisher.Manifest manifest = publisher.download("latest", target);

        assertThat(report.version()).isEqualTo("20261130T080000000Z");
        assertThat(report.location()).isEqualTo(base.toString());
        assertThat(report.bytes()).isEqualTo(Files.size(bi) + Files.size(parquet.get(0)) + Files.size(parquet.get(1)));
        assertThat(manifest.version()).isEqualTo("20261130T080000000Z");
        assertThat(manifest.files()).extracting(ObjectStoragePublisher.FileEntry::path).containsExactly(
                "entrepot-bi.duckdb", "parquet/housing.parquet", "parquet/stats_activity_monthly.parquet");
        assertThat(ObjectStoragePublisher.sha256(target.resolve("entrepot-bi.duckdb")))
                .isEqualTo(ObjectStoragePublisher.sha256(bi)).isEqualTo(manifest.files().get(0).sha256());
        assertThat(Files.mismatch(target.resolve("entrepot-bi.duckdb"), bi)).isEqualTo(-1);
        assertThat(Files.mismatch(target.resolve("parquet/housing.parquet"), parquet.get(0))).isEqualTo(-1);
        assertThat(Files.mismatch(target.resolve("parquet/stats_activity_monthly.parquet"), parquet.get(1)))
                .isEqualTo(-1);
        assertThat(PublishedFiles.markerOf(target.resolve("entrepot-bi.duckdb"))).isEqualTo("v1");
        try (Warehouse reader = Warehouse.inMemory(); Connection connection = reader.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), sum(years) FROM read_parquet('"
                     + target.resolve("parquet/housing.parquet") + "')")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(40_000);
            assertThat(rows.getLong(2)).isEqualTo(java.util.stream.LongStream.range(0, 40_000).map(i -> i % 13).sum());
        }
        // What a reader without Entrepôt finds: the versioned keys and latest.json.
        assertThat(store.list(base.withKey(base.key() + "/")).stream().map(o -> o.location().key()))
                .containsExactlyInAnyOrder(
                        base.key() + "/latest.json",
                        base.key() + "/20261130T080000000Z/manifest.json",
                        base.key() + "/20261130T080000000Z/entrepot-bi.duckdb",
                        base.key() + "/20261130T080000000Z/parquet/housing.parquet",
                        base.key() + "/20261130T080000000Z/parquet/stats_activity_monthly.parquet");
        ObjectInfo stored = store.stat(base.withKey(base.key() + "/20261130T080000000Z/entrepot-bi.duckdb"));
        assertThat(stored.size()).isEqualTo(Files.size(bi));
    }

    @Test
    void retentionKeepsTheNewestVersionsAndDeletesTheOlderOnes() throws Exception {
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, base, 2);
        for (String version : List.of("v1", "v2", "v3", "v4")) {
            publish(publisher, version);
        }

        assertThat(publisher.versions()).containsExactly("v4", "v3");
        assertThat(publisher.latest()).get().satisfies(latest -> {
            assertThat(latest.version()).isEqualTo("v4");
            assertThat(latest.versions()).containsExactly("v4", "v3");
        });
        assertThat(store.list(base.withKey(base.key() + "/")).stream().map(o -> o.location().key()))
                .containsExactlyInAnyOrder(base.key() + "/latest.json",
                        base.key() + "/v3/manifest.json", base.key() + "/v3/entrepot-bi.duckdb",
                        base.key() + "/v4/manifest.json", base.key() + "/v4/entrepot-bi.duckdb");
        publisher.download("v3", work.resolve("old"));
        assertThat(PublishedFiles.markerOf(work.resolve("old/entrepot-bi.duckdb"))).isEqualTo("v3");
        assertThatThrownBy(() -> publisher.download("v1", work.resolve("gone")))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("There is no published version v1 in " + base + ".")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).isEqualTo("Published versions: v4, v3."));
    }

    @Test
    void latestJsonIsWrittenLastAndNamesTheLastCompleteVersion() throws Exception {
        PublishedFiles.RecordingStore recording = new PublishedFiles.RecordingStore(store);
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(recording, base, 5);
        Path parquet = parquetFile("housing.parquet");

        publish(publisher, "a", parquet);
        publish(publisher, "b", parquet);

        assertThat(recording.uploads).containsExactly(
                base + "/a/entrepot-bi.duckdb", base + "/a/parquet/housing.parquet", base + "/a/manifest.json",
                base + "/latest.json",
                base + "/b/entrepot-bi.duckdb", base + "/b/parquet/housing.parquet", base + "/b/manifest.json",
                base + "/latest.json");
        assertThat(publisher.latest()).get().extracting(ObjectStoragePublisher.Manifest::version).isEqualTo("b");
        assertThat(PublishedFiles.markerOf(downloadLatestBi(publisher))).isEqualTo("b");
    }

    @Test
    void aFailureInTheMiddleOfAnUploadLeavesLatestOnThePreviousVersion() throws Exception {
        PublishedFiles.RecordingStore recording = new PublishedFiles.RecordingStore(store);
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(recording, base, 5);
        Path parquet = parquetFile("housing.parquet");
        publish(publisher, "one", parquet);
        recording.failOn = "/two/parquet/";

        assertThatThrownBy(() -> publish(publisher, "two", parquet))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("Connection reset");

        assertThat(recording.uploads).contains(base + "/two/entrepot-bi.duckdb").doesNotContain(base + "/two/manifest.json");
        assertThat(publisher.latest()).get().extracting(ObjectStoragePublisher.Manifest::version).isEqualTo("one");
        assertThat(PublishedFiles.markerOf(downloadLatestBi(publisher))).isEqualTo("one");
        assertThat(publisher.versions()).containsExactly("one");
        assertThat(store.list(base.withKey(base.key() + "/two/"))).as("the failed version's files are removed").isEmpty();

        recording.failOn = null;
        publish(publisher, "three", parquet);
        assertThat(publisher.versions()).containsExactly("three", "one");
        assertThat(PublishedFiles.markerOf(downloadLatestBi(publisher))).isEqualTo("three");
    }

    @Test
    void aMissingFileStopsThePublicationBeforeAnythingIsUploaded() throws Exception {
        PublishedFiles.RecordingStore recording = new PublishedFiles.RecordingStore(store);
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(recording, base, 5);
        publish(publisher, "one");
        recording.uploads.clear();
        Path missing = work.resolve("parquet/owners.parquet");

        assertThatThrownBy(() -> publish(publisher, "two", missing))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("Cannot publish " + missing + ": there is no such file.");

        assertThat(recording.uploads).isEmpty();
        assertThat(publisher.latest()).get().extracting(ObjectStoragePublisher.Manifest::version).isEqualTo("one");
    }

    @Test
    void aPublishedVersionIsNeverOverwritten() throws Exception {
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, base, 5);
        publisher.upload(PublishedFiles.biFile(work.resolve("one.duckdb"), "one", 10), List.of(), "same");

        assertThatThrownBy(() -> publisher.upload(PublishedFiles.biFile(work.resolve("two.duckdb"), "two", 10),
                List.of(), "same"))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("The version same already exists in " + base + ".");
        assertThat(PublishedFiles.markerOf(downloadLatestBi(publisher))).isEqualTo("one");
    }

    @Test
    void retentionNeverDeletesFilesThatPublicationDidNotWrite() throws Exception {
        Path notes = Files.writeString(work.resolve("notes.txt"), "kept by hand");
        store.upload(notes, base.withKey(base.key() + "/archive/notes.txt"));
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, base, 1);

        publish(publisher, "one");
        publish(publisher, "two");

        assertThat(publisher.versions()).containsExactly("two");
        assertThat(store.list(base.withKey(base.key() + "/archive/"))).hasSize(1);
    }

    @Test
    void aDownloadThatDoesNotMatchItsManifestIsRefused() throws Exception {
        ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, base, 5);
        Path parquet = parquetFile("housing.parquet");
        publisher.upload(null, List.of(parquet), "one");
        // Someone replaces the object behind the manifest's back.
        store.upload(Files.writeString(work.resolve("other.parquet"), "not the published file"),
                base.withKey(base.key() + "/one/parquet/housing.parquet"));
        Path target = work.resolve("downloaded");

        assertThatThrownBy(() -> publisher.download("latest", target))
                .isInstanceOf(EntrepotException.class)
                .hasMessageStartingWith("The download of " + base + "/one/parquet/housing.parquet does not match its"
                        + " manifest");
        assertThat(target.resolve("parquet/housing.parquet")).doesNotExist();
    }

    @Test
    void wrongCredentialsAreNamedWithTheBucketAndNoSecret() throws Exception {
        Path bi = PublishedFiles.biFile(work.resolve("one.duckdb"), "one", 10);
        try (ObjectStores wrong = new ObjectStores(settings(Secret.of("not-the-secret")).withParts(5, 1, 1))) {
            ObjectStoragePublisher publisher = new ObjectStoragePublisher(wrong, base, 5);

            assertThatThrownBy(() -> publisher.upload(bi, List.of(), "one"))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageStartingWith("The object storage at " + s3.endpoint() + " refused access to s3://"
                            + BUCKET + "/")
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("CELLAR_SECRET_ACCESS_KEY"))
                    .satisfies(e -> assertThat(e.getMessage() + ((EntrepotException) e).hint())
                            .doesNotContain("not-the-secret").doesNotContain(SECRET.reveal()));
        }
    }

    /** Publishes a BI file marked with the version's name, and the Parquet files given. */
    private PublicationReport publish(ObjectStoragePublisher publisher, String version, Path... parquet)
            throws Exception {
        return publisher.upload(PublishedFiles.biFile(work.resolve(version + ".duckdb"), version, 10), List.of(parquet),
                version);
    }

    private Path parquetFile(String name) throws Exception {
        Path file = work.resolve("parquet").resolve(name);
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            try (Warehouse duckdb = Warehouse.inMemory()) {
                duckdb.execute("COPY (SELECT i AS id FROM range(1000) t(i)) TO '" + file + "' (FORMAT parquet)");
            }
        }
        return file;
    }

    private Path downloadLatestBi(ObjectStoragePublisher publisher) {
        Path target = work.resolve("latest-" + PREFIXES.incrementAndGet());
        publisher.download("latest", target);
        return target.resolve("entrepot-bi.duckdb");
    }
}
