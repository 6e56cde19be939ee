package fr.zlv.entrepot.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading catalog sources from a real S3-protocol server, through the path production uses. */
class FileIngestionIT {

    private static final Secret SECRET = Secret.of("lake-secret");
    private static final Path SAMPLES = Path.of("src", "test", "resources", "files").toAbsolutePath();
    private static LocalS3Server s3;

    @TempDir
    Path directory;

    @BeforeAll
    static void startServer() {
        s3 = LocalS3Server.start(null, "lake-access", SECRET);
        try (ObjectStores store = new ObjectStores(storage(SECRET))) {
            store.ensureBucket("lake");
            store.upload(SAMPLES.resolve("cog_sample.csv"), Location.parse("s3://lake/insee/cog.csv"));
            store.upload(SAMPLES.resolve("lovac_sample_latin1.csv"), Location.parse("s3://lake/cerema/lovac/2024/raw.csv"));
        }
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    private static StorageSettings storage(Secret secret) {
        return StorageSettings.defaults().withEndpoint(s3.endpoint().toString(), "lake-access", secret);
    }

    private SourceCatalog catalog() throws IOException {
        Path file = directory.resolve("sources.yml");
        Files.writeString(file, """
                sources:
                  - name: cog
                    provider: INSEE
                    location: s3://${LAKE}/insee/cog.csv
                    types: {COM: VARCHAR, DEP: VARCHAR, ARR: VARCHAR, CAN: VARCHAR, REG: VARCHAR}
                    target: external.insee_cog
                    expect: {columns: [COM, LIBELLE], min_rows: 10}
                  - name: lovac_2024
                    provider: CEREMA
                    location: s3://${LAKE}/cerema/lovac/2024/raw.csv
                    read: {delimiter: ';', encoding: latin-1, decimal_separator: ','}
                    types: {ff_idlocal: VARCHAR, ff_ccodep: VARCHAR, ff_stoth: DOUBLE}
                    target: lovac.lovac_2024
                    year: 2024
                  - name: lovac_2026
                    provider: CEREMA
                    location: s3://${LAKE}/cerema/lovac/2026/raw.csv
                    target: lovac.lovac_2026
                    year: 2026
                """);
        return SourceCatalog.load(file, Map.of("LAKE", "lake"));
    }

    private List<FileIngestion.Outcome> run(Warehouse warehouse, Secret secret, boolean force) throws IOException {
        try (ObjectStores store = new ObjectStores(storage(secret))) {
            FileCache cache = new FileCache(directory.resolve("cache"), store);
            return new FileIngestion(warehouse, cache, directory.resolve("work")).run(catalog().sources(), force,
                    FileIngestion.Listener.NONE);
        }
    }

    @Test
    void sourcesLoadFromS3AndAMissingFileStopsOnlyItsSource() throws IOException {
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(directory.resolve("w.duckdb").toString(), 1.0, 2,
                null))) {
            AtomicLong bytes = new AtomicLong();
            List<FileIngestion.Outcome> first;
            try (ObjectStores store = new ObjectStores(storage(SECRET))) {
                first = new FileIngestion(warehouse, new FileCache(directory.resolve("cache"), store),
                        directory.resolve("work")).run(catalog().sources(), false, new FileIngestion.Listener() {
                            @Override
                            public void bytes(long count) {
                                bytes.addAndGet(count);
                            }
                        });
            }

            assertThat(first).extracting(outcome -> outcome.source().name()).containsExactly("cog", "lovac_2024", "lovac_2026");
            assertThat(first.get(0).report().rows()).isEqualTo(14);
            assertThat(first.get(0).report().fromCache()).isFalse();
            assertThat(first.get(1).report().rows()).isEqualTo(6);
            assertThat(first.get(1).report().rejected()).isEqualTo(1);
            assertThat(first.get(2).failed()).isTrue();
            assertThat(first.get(2).error()).hasMessageStartingWith("There is no object s3://lake/cerema/lovac/2026/raw.csv");
            assertThat(first.get(2).error().hint()).contains("s3://lake/cerema/lovac/2024/raw.csv");
            assertThat(bytes.get()).isEqualTo(Files.size(SAMPLES.resolve("cog_sample.csv"))
                    + Files.size(SAMPLES.resolve("lovac_sample_latin1.csv")));

            List<FileIngestion.Outcome> again = run(warehouse, SECRET, false);

            assertThat(again.get(0).report().fromCache()).isTrue();
            assertThat(again.get(0).report().status()).isEqualTo(LoadReport.Status.UNCHANGED);
            assertThat(again.get(1).report().status()).isEqualTo(LoadReport.Status.UNCHANGED);
            assertThat(run(warehouse, SECRET, true).get(1).report().status()).isEqualTo(LoadReport.Status.LOADED);
        }
    }

    @Test
    void wrongCredentialsFailEverySourceAndKeepTheTables() throws IOException {
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(directory.resolve("w.duckdb").toString(), 1.0, 2,
                null))) {
            run(warehouse, SECRET, false);
            long before = warehouse.rowCount(TableName.parse("external.insee_cog"));

            List<FileIngestion.Outcome> refused = run(warehouse, Secret.of("wrong"), true);

            assertThat(refused).allMatch(FileIngestion.Outcome::failed);
            assertThat(refused.get(0).error()).hasMessageContaining("refused access to s3://lake/insee/cog.csv");
            assertThat(warehouse.rowCount(TableName.parse("external.insee_cog"))).isEqualTo(before);
        }
    }
}
