package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductionSyncIT {

    private static final String DATABASE = "entrepot_it_sync";
    private static ProductionDatabase.Result demo;

    @TempDir
    Path directory;

    @BeforeAll
    static void createProduction() {
        demo = TestPostgres.demo(DATABASE, 5_000);
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(DATABASE);
    }

    private Warehouse warehouse() {
        return Warehouse.open(new WarehouseSettings(directory.resolve("w.duckdb").toString(), 2.0, 2, null));
    }

    private static String pgScalar(String sql) throws SQLException {
        try (Connection connection = TestPostgres.server().connect(DATABASE); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static String duckScalar(Warehouse warehouse, String sql) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void everyConfiguredTableLandsInSchemaProductionWithItsRows() throws SQLException {
        try (Warehouse warehouse = warehouse()) {
            Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
            SyncReport report = new ProductionSync(TestPostgres.settings(DATABASE), warehouse).run(List.of(),
                    new ProductionSync.Listener() {
                        @Override
                        public void rows(String table, long rows) {
                            seen.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
                        }
                    });

            assertThat(report.tables()).hasSize(19);
            assertThat(report.snapshot()).isNotBlank();
            for (SyncReport.TableReport table : report.tables()) {
                String source = table.table().equals("housing") ? "fast_housing" : table.table();
                assertThat(table.rows()).as(table.table()).isEqualTo(demo.rows().get(source));
                assertThat(warehouse.rowCount(new TableName("production", table.table()))).as(table.table())
                        .isEqualTo(table.rows());
                assertThat(seen.get(table.table()).get()).as("progress of " + table.table()).isEqualTo(table.rows());
                assertThat(table.bytes()).isPositive();
            }
            // fast_housing lands as production.housing, read partition by partition.
            assertThat(report.tables()).filteredOn(t -> t.table().equals("housing")).singleElement()
                    .satisfies(t -> assertThat(t.slices()).isEqualTo(11));
            // geo_perimeters leaves its geometry behind.
            assertThat(duckScalar(warehouse, "SELECT string_agg(column_name, ',') FROM information_schema.columns"
                    + " WHERE table_schema = 'production' AND table_name = 'geo_perimeters'"))
                    .isEqualTo("id,establishment_id,name,kind,created_at,created_by");
            // Nothing is left beside the live tables, and the sync is recorded.
            assertThat(warehouse.tables("production")).extracting(TableName::name).noneMatch(n -> n.startsWith("_"));
            assertThat(duckScalar(warehouse, "SELECT count(*) FROM _entrepot.production_sync")).isEqualTo("19");
        }
    }

    @Test
    void valuesArriveAsTheyAreInProduction() throws SQLException {
        try (Warehouse warehouse = warehouse()) {
            new ProductionSync(TestPostgres.settings(DATABASE), warehouse).run(List.of(), ProductionSync.Listener.NONE);

            List<String[]> checks = List.of(
                    new String[] {"SELECT sum(living_area) FROM fast_housing", "SELECT sum(living_area) FROM production.housing"},
                    new String[] {"SELECT count(*) FROM fast_housing WHERE geo_code LIKE '01%'",
                            "SELECT count(*) FROM production.housing WHERE geo_code LIKE '01%'"},
                    new String[] {"SELECT sum(cardinality(address_dgfip)) FROM fast_housing",
                            "SELECT sum(len(address_dgfip)) FROM production.housing"},
                    new String[] {"SELECT string_agg(a, '|' ORDER BY a) FROM (SELECT address_dgfip[2] a FROM fast_housing"
                            + " ORDER BY id LIMIT 20) t",
                            "SELECT string_agg(a, '|' ORDER BY a) FROM (SELECT address_dgfip[2] a FROM production.housing"
                                    + " ORDER BY id LIMIT 20) t"},
                    new String[] {"SELECT count(*) FROM owners WHERE email IS NULL", "SELECT count(*) FROM production.owners WHERE email IS NULL"},
                    new String[] {"SELECT to_char(max(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM events",
                            "SELECT strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM production.events"},
                    new String[] {"SELECT count(*) FROM events WHERE next_new->>'status' = 'Suivi en cours'",
                            "SELECT count(*) FROM production.events WHERE next_new->>'status' = 'Suivi en cours'"},
                    new String[] {"SELECT sum(return_rate)::numeric(12,2) FROM campaigns",
                            "SELECT printf('%.2f', sum(return_rate)) FROM production.campaigns"},
                    new String[] {"SELECT min(id::text) FROM owners", "SELECT min(id::varchar) FROM production.owners"},
                    new String[] {"SELECT count(*) FROM fast_housing WHERE data_years = '{}' OR data_file_years IS NULL",
                            "SELECT count(*) FROM production.housing WHERE len(data_years) = 0 OR data_file_years IS NULL"});
            for (String[] check : checks) {
                assertThat(duckScalar(warehouse, check[1])).as(check[1]).isEqualTo(pgScalar(check[0]));
            }
        }
    }

    @Test
    void largeTablesReadInSlicesGiveTheSameRows() throws SQLException {
        ProductionSettings sliced = TestPostgres.settings(DATABASE).withParallelism(3, 8);
        try (Warehouse warehouse = warehouse()) {
            SyncReport report = new ProductionSync(sliced, warehouse)
                    .run(List.of("housing", "owners", "owners_housing"), ProductionSync.Listener.NONE);

            assertThat(report.tables()).extracting(SyncReport.TableReport::slices).allMatch(n -> n > 11);
            assertThat(duckScalar(warehouse, "SELECT count(DISTINCT id) FROM production.owners"))
                    .isEqualTo(String.valueOf(demo.rows().get("owners")));
            assertThat(duckScalar(warehouse, "SELECT count(*) FROM (SELECT DISTINCT owner_id, housing_id FROM production.owners_housing)"))
                    .isEqualTo(String.valueOf(demo.rows().get("owners_housing")));
        }
    }

    @Test
    void aSecondSyncReplacesTheTablesAndOneTableCanBeSyncedAlone() throws SQLException {
        try (Warehouse warehouse = warehouse()) {
            ProductionSync sync = new ProductionSync(TestPostgres.settings(DATABASE), warehouse);
            sync.run(List.of(), ProductionSync.Listener.NONE);
            warehouse.execute("CREATE TABLE production.kept AS SELECT 1 AS x");
            warehouse.execute("DELETE FROM production.owners WHERE true");

            SyncReport again = sync.run(List.of("owners"), ProductionSync.Listener.NONE);

            assertThat(again.tables()).extracting(SyncReport.TableReport::table).containsExactly("owners");
            assertThat(warehouse.rowCount(TableName.parse("production.owners"))).isEqualTo(demo.rows().get("owners"));
            assertThat(warehouse.rowCount(TableName.parse("production.housing"))).isEqualTo(demo.rows().get("fast_housing"));
            assertThat(warehouse.exists(TableName.parse("production.kept"))).isTrue();
            List<String> history = new ArrayList<>();
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT table_name FROM _entrepot.production_sync"
                         + " WHERE table_name = 'owners' ORDER BY synced_at")) {
                while (rows.next()) {
                    history.add(rows.getString(1));
                }
            }
            assertThat(history).hasSize(2);
        }
    }
}
