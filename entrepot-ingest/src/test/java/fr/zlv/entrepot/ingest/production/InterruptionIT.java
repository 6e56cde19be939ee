package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync killed in the middle of a table leaves the previous production tables as they were. */
class InterruptionIT {

    private static final String DATABASE = "entrepot_it_interrupt";

    @BeforeAll
    static void createProduction() {
        TestPostgres.demo(DATABASE, 30_000);
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(DATABASE);
    }

    private static String checksum(Warehouse warehouse, String table) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) || ':' || sum(hash(id)) FROM production." + table)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void killingTheSyncMidTableKeepsThePreviousTables(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("w.duckdb");
        WarehouseSettings settings = new WarehouseSettings(file.toString(), 1.0, 1, null);
        PostgresServer server = TestPostgres.server();
        String ownersBefore;
        String housingBefore;
        try (Warehouse warehouse = Warehouse.open(settings)) {
            new ProductionSync(TestPostgres.settings(DATABASE), warehouse).run(List.of("owners", "housing"),
                    ProductionSync.Listener.NONE);
            ownersBefore = checksum(warehouse, "owners");
            housingBefore = checksum(warehouse, "housing");
        }
        // Production moves on: a sync that completed would bring this change.
        TestPostgres.execute(DATABASE, "DELETE FROM owners_housing WHERE rank = 0",
                "DELETE FROM owners WHERE id NOT IN (SELECT owner_id FROM owners_housing)"
                        + " AND id NOT IN (SELECT owner_id FROM owner_events) AND id NOT IN (SELECT owner_id FROM owner_notes)");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process sync = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SyncProcess.class.getName(),
                server.host(), String.valueOf(server.port()), DATABASE, file.toString())
                .redirectErrorStream(true).start();
        long housingRows = 0;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(sync.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("rows housing ")) {
                    housingRows += Long.parseLong(line.substring("rows housing ".length()));
                    if (housingRows >= 10_000) {
                        sync.destroyForcibly();
                        break;
                    }
                }
                assertThat(line).as("the sync finished before it could be killed").isNotEqualTo("done");
            }
        }
        assertThat(sync.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(housingRows).as("killed in the middle of production.housing").isBetween(10_000L, 29_999L);

        try (Warehouse warehouse = Warehouse.open(settings)) {
            assertThat(checksum(warehouse, "owners")).isEqualTo(ownersBefore);
            assertThat(checksum(warehouse, "housing")).isEqualTo(housingBefore);

            // The next sync cleans up and brings the change.
            new ProductionSync(TestPostgres.settings(DATABASE), warehouse).run(List.of("owners", "housing"),
                    ProductionSync.Listener.NONE);
            assertThat(checksum(warehouse, "owners")).isNotEqualTo(ownersBefore);
            assertThat(warehouse.tables("production")).extracting(TableName::name)
                    .containsExactlyInAnyOrder("owners", "housing");
        }
    }
}
