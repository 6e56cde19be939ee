package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-warehouse export to an S3 prefix on a real S3-protocol server on 127.0.0.1, and its import back. */
class DatabaseExportIT {

    private static final Secret SECRET = Secret.of("export-secret-key");
    private static LocalS3Server s3;

    @TempDir
    Path work;

    private final DatabaseExport export =
            new DatabaseExport(Clock.fixed(Instant.parse("2026-11-30T02:15:00Z"), ZoneOffset.UTC));

    @BeforeAll
    static void startServer() {
        s3 = LocalS3Server.start(null, "export-access-key", SECRET);
        try (ObjectStores store = new ObjectStores(settings())) {
            store.ensureBucket("exports");
        }
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    private static StorageSettings settings() {
        return StorageSettings.defaults().withEndpoint(s3.endpoint().toString(), "export-access-key", SECRET);
    }

    @Test
    void anExportUploadedToAPrefixImportsIntoANewWarehouse() throws Exception {
        PublicationReport report;
        try (ObjectStores store = new ObjectStores(settings())) {
            try (Warehouse warehouse = BiFiles.warehouse(work.resolve("entrepot.duckdb"))) {
                warehouse.execute("CREATE TABLE production.housing AS SELECT i AS id, 'h' || i AS label"
                        + " FROM range(20000) t(i)");
                warehouse.execute("CREATE VIEW marts.housing_count AS SELECT count(*) AS n FROM production.housing");
                report = export.export(warehouse, Location.parse("s3://exports/warehouse/"), store);
            }
            assertThat(report.location()).isEqualTo("s3://exports/warehouse/entrepot-2026-11-30T021500Z");
            List<String> keys = store.list(Location.parse(report.location() + "/")).stream()
                    .map(object -> object.location().key()).toList();
            assertThat(keys).contains("warehouse/entrepot-2026-11-30T021500Z/schema.sql",
                    "warehouse/entrepot-2026-11-30T021500Z/load.sql");
            assertThat(keys).anyMatch(key -> key.endsWith(".parquet"));

            Path copy = work.resolve("copy/entrepot.duckdb");
            export.importFrom(Location.parse(report.location()), copy, store);
            try (Connection connection = BiFiles.reader(copy)) {
                assertThat(BiFiles.count(connection, "SELECT n FROM marts.housing_count")).isEqualTo(20000);
                assertThat(BiFiles.strings(connection, "SELECT label FROM production.housing WHERE id = 4242"))
                        .containsExactly("h4242");
            }
        }
    }

    @Test
    void anExportWhoseUploadWasCutIsRefusedAndNothingIsWritten() {
        try (ObjectStores store = new ObjectStores(settings())) {
            PublicationReport report;
            try (Warehouse warehouse = BiFiles.warehouse(work.resolve("entrepot.duckdb"))) {
                warehouse.execute("CREATE TABLE production.owner AS SELECT i AS id FROM range(100) t(i)");
                report = export.export(warehouse, Location.parse("s3://exports/cut"), store);
            }
            // An upload cut before its end: load.sql goes last, so it is what is missing.
            ObjectInfo load = store.stat(Location.parse(report.location() + "/load.sql"));
            store.delete(load.location());

            Path copy = work.resolve("never.duckdb");
            assertThatThrownBy(() -> export.importFrom(Location.parse(report.location()), copy, store))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("There is no complete export at " + report.location())
                    .hasMessageContaining("no load.sql");
            assertThat(copy).doesNotExist();
        }
    }
}
