package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production sync into a PostgreSQL warehouse: a second, fresh database on the same server. */
class PostgresWarehouseSyncIT {

    private static final String PRODUCTION = "entrepot_it_pgsync";
    private static final String WAREHOUSE = "entrepot_it_pgsync_warehouse";
    private static ProductionDatabase.Result demo;

    private Warehouse warehouse;

    @BeforeAll
    static void createProduction() {
        TestPostgres.drop(PRODUCTION);
        demo = TestPostgres.demo(PRODUCTION, 5_000);
        // Types the warehouse does not have (an enum, an array of it, a domain) and some that cross with care.
        TestPostgres.execute(PRODUCTION,
                "CREATE TYPE housing_kind AS ENUM ('APPART', 'MAISON', 'l''autre')",
                "CREATE DOMAIN insee_code AS varchar(5) CHECK (VALUE ~ '^[0-9AB]{5}$')",
                "CREATE TABLE odd_types (id int PRIMARY KEY, kind housing_kind, kinds housing_kind[], code insee_code,"
                        + " m money, iv interval, tags varchar(5)[], n numeric(10,2), \"Mixed Case\" text)",
                "INSERT INTO odd_types VALUES (1, 'l''autre', '{APPART,l''autre}', '2A004', '12.34',"
                        + " '-1 days +02:03:00', '{ab,\"c,d\"}', 12345678.91, 'a, \"quoted\"' || E'\\n' || 'line'),"
                        + " (2, NULL, '{}', NULL, NULL, NULL, NULL, NULL, '')",
                // A view that fails with division by zero after 29,999 rows: a source query failing mid-way.
                "CREATE VIEW failing_numbers AS SELECT g AS n, 1000 / (g - 30000) AS ratio FROM generate_series(1, 50000) g",
                "GRANT SELECT ON odd_types, failing_numbers TO " + ProductionDatabase.READONLY_ROLE);
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(PRODUCTION);
    }

    @BeforeEach
    void createWarehouse() {
        TestPostgres.drop(WAREHOUSE);
        TestPostgres.execute("postgres", "CREATE DATABASE " + WAREHOUSE);
        warehouse = Warehouse.open(new WarehouseSettings(TestPostgres.server().jdbcUrlWithCredentials(WAREHOUSE),
                null, null, null));
    }

    @AfterEach
    void dropWarehouse() {
        if (warehouse != null) {
            warehouse.close();
        }
        TestPostgres.drop(WAREHOUSE);
    }

    private static List<String> column(String database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = TestPostgres.server().connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String scalar(String database, String sql) throws SQLException {
        List<String> values = column(database, sql);
        assertThat(values).as(sql).hasSize(1);
        return values.get(0);
    }

    /** Column name → type as PostgreSQL writes it, in order. */
    private static Map<String, String> types(String database, String relation) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = TestPostgres.server().connect(database);
             PreparedStatement statement = connection.prepareStatement("SELECT attname, format_type(atttypid, atttypmod)"
                     + " FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            statement.setString(1, relation);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return types;
    }

    /** Rows and an md5 of every row's text, in order, of {@code columns} of {@code relation}. */
    private static String fingerprint(String database, String relation, List<String> columns) throws SQLException {
        String select = String.join(", ", columns.stream().map(TableName::quote).toList());
        return scalar(database, "SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '')"
                + " FROM (SELECT " + select + " FROM " + relation + ") r");
    }

    private static String sourceOf(String table) {
        return "public." + TableName.quote(table.equals("housing") ? "fast_housing" : table);
    }

    /** The same rows in production and in the warehouse: the warehouse's columns, read on both sides. */
    private void assertSameRows(String table) throws SQLException {
        List<String> columns = new ArrayList<>(types(WAREHOUSE, "production." + TableName.quote(table)).keySet());
        assertThat(fingerprint(WAREHOUSE, "production." + TableName.quote(table), columns)).as(table)
                .isEqualTo(fingerprint(PRODUCTION, sourceOf(table), columns));
    }

    private static ProductionSettings settings() {
        return TestPostgres.settings(PRODUCTION);
    }

    private List<String> stagingTables() throws SQLException {
        return column(WAREHOUSE, "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_name LIKE '\\_entrepot\\_staging\\_%'");
    }

    @Test
    void everyConfiguredTableArrivesWithItsRowsItsValuesAndItsTypes() throws SQLException {
        Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
        SyncReport report = new ProductionSync(settings(), warehouse).run(List.of(), new ProductionSync.Listener() {
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
            // Every column keeps its production type (no enum or domain in the demo's tables).
            Map<String, String> inWarehouse = types(WAREHOUSE, "production." + table.table());
            Map<String, String> inProduction = types(PRODUCTION, sourceOf(table.table()));
            inProduction.keySet().retainAll(inWarehouse.keySet());
            assertThat(inWarehouse).as(table.table()).containsExactlyEntriesOf(inProduction);
            assertSameRows(table.table());
        }
        assertThat(types(WAREHOUSE, "production.events")).containsEntry("created_at", "timestamp with time zone")
                .containsEntry("next_new", "jsonb").containsEntry("id", "uuid");
        assertThat(types(WAREHOUSE, "production.housing")).containsEntry("address_dgfip", "text[]")
                .containsEntry("data_years", "integer[]");
        // geo_perimeters leaves its geometry behind.
        assertThat(types(WAREHOUSE, "production.geo_perimeters").keySet())
                .containsExactly("id", "establishment_id", "name", "kind", "created_at", "created_by");
        assertThat(stagingTables()).isEmpty();
        assertThat(scalar(WAREHOUSE, "SELECT count(*) FROM _entrepot.production_sync")).isEqualTo("19");
        assertThat(scalar(WAREHOUSE, "SELECT sum(rows) FROM _entrepot.production_sync"))
                .isEqualTo(String.valueOf(report.totalRows()));
    }

    @Test
    void enumsBecomeTextDomainsTheirBaseTypeAndOtherTypesStayAsTheyAre() throws SQLException {
        new ProductionSync(settings().withTables(List.of(ProductionTable.of("odd_types"))), warehouse)
                .run(List.of(), ProductionSync.Listener.NONE);

        assertThat(types(WAREHOUSE, "production.odd_types")).containsExactly(
                Map.entry("id", "integer"), Map.entry("kind", "text"), Map.entry("kinds", "text[]"),
                Map.entry("code", "character varying(5)"), Map.entry("m", "money"), Map.entry("iv", "interval"),
                Map.entry("tags", "character varying(5)[]"), Map.entry("n", "numeric(10,2)"),
                Map.entry("Mixed Case", "text"));
        assertSameRows("odd_types");
        assertThat(column(WAREHOUSE, "SELECT kinds[2] || '|' || cardinality(kinds) || '|' || tags[2] || '|' || iv"
                + " || '|' || m::numeric || '|' || \"Mixed Case\" FROM production.odd_types WHERE id = 1"))
                .containsExactly("l'autre|2|c,d|-1 days +02:03:00|12.34|a, \"quoted\"\nline");
        assertThat(column(WAREHOUSE, "SELECT kind IS NULL AND code IS NULL AND cardinality(kinds) = 0"
                + " AND \"Mixed Case\" = '' FROM production.odd_types WHERE id = 2")).containsExactly("t");
    }

    @Test
    void largeTablesReadInSlicesArriveWhole() throws SQLException {
        SyncReport report = new ProductionSync(settings().withParallelism(3, 8), warehouse)
                .run(List.of("housing", "owners", "owners_housing"), ProductionSync.Listener.NONE);

        assertThat(report.tables()).extracting(SyncReport.TableReport::slices).allMatch(n -> n > 11);
        for (String table : List.of("housing", "owners", "owners_housing")) {
            assertSameRows(table);
        }
    }

    @Test
    void aSecondSyncReplacesTheRows() throws SQLException {
        ProductionSync sync = new ProductionSync(settings(), warehouse);
        sync.run(List.of("owners", "users"), ProductionSync.Listener.NONE);
        String owner = scalar(PRODUCTION, "SELECT min(id::text) FROM owners");
        String before = scalar(WAREHOUSE, "SELECT full_name FROM production.owners WHERE id = '" + owner + "'");
        TestPostgres.execute(PRODUCTION, "UPDATE owners SET full_name = 'NOUVEAU NOM' WHERE id = '" + owner + "'");
        try {
            sync.run(List.of("owners"), ProductionSync.Listener.NONE);

            assertThat(scalar(WAREHOUSE, "SELECT full_name FROM production.owners WHERE id = '" + owner + "'"))
                    .isEqualTo("NOUVEAU NOM");
            assertSameRows("owners");
            assertThat(warehouse.rowCount(TableName.parse("production.users"))).isEqualTo(demo.rows().get("users"));
            assertThat(column(WAREHOUSE, "SELECT table_name FROM _entrepot.production_sync ORDER BY synced_at, table_name"))
                    .containsExactly("owners", "users", "owners");
        } finally {
            TestPostgres.execute(PRODUCTION, "UPDATE owners SET full_name = '" + before.replace("'", "''")
                    + "' WHERE id = '" + owner + "'");
        }
    }

    @Test
    void aSyncFailingMidTableKeepsThePreviousTablesAndDropsItsStagingTables() throws SQLException {
        new ProductionSync(settings(), warehouse).run(List.of("owners", "users"), ProductionSync.Listener.NONE);
        List<String> columns = new ArrayList<>(types(WAREHOUSE, "production.owners").keySet());
        String ownersBefore = fingerprint(WAREHOUSE, "production.owners", columns);
        String owner = scalar(PRODUCTION, "SELECT min(id::text) FROM owners");
        String name = scalar(PRODUCTION, "SELECT full_name FROM owners WHERE id = '" + owner + "'");
        TestPostgres.execute(PRODUCTION, "UPDATE owners SET full_name = 'NOUVEAU NOM' WHERE id = '" + owner + "'");
        ProductionSettings failing = settings().withTables(List.of(ProductionTable.of("owners"),
                ProductionTable.of("users"), new ProductionTable("numbers", "failing_numbers", null)));
        Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
        try {
            assertThatThrownBy(() -> new ProductionSync(failing, warehouse).run(List.of(), new ProductionSync.Listener() {
                @Override
                public void rows(String table, long rows) {
                    seen.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
                }
            })).isInstanceOf(EntrepotException.class).hasMessageContaining("production.numbers")
                    .hasMessageContaining("division by zero");

            assertThat(seen.get("numbers")).as("rows of the failing table arrived before the failure").isNotNull();
            assertThat(seen.get("numbers").get()).isPositive();
            assertThat(fingerprint(WAREHOUSE, "production.owners", columns)).isEqualTo(ownersBefore);
            assertThat(warehouse.rowCount(TableName.parse("production.users"))).isEqualTo(demo.rows().get("users"));
            assertThat(warehouse.exists(TableName.parse("production.numbers"))).isFalse();
            assertThat(stagingTables()).isEmpty();
            assertThat(scalar(WAREHOUSE, "SELECT count(*) FROM _entrepot.production_sync")).isEqualTo("2");
        } finally {
            TestPostgres.execute(PRODUCTION, "UPDATE owners SET full_name = '" + name.replace("'", "''")
                    + "' WHERE id = '" + owner + "'");
        }
    }

    @Test
    void stagingTablesLeftByAKilledSyncAreDroppedByTheNextOne() throws SQLException {
        warehouse.execute("CREATE TABLE production._entrepot_staging_owners (id int)");
        warehouse.execute("CREATE TABLE production._entrepot_staging_gone (id int)");

        new ProductionSync(settings(), warehouse).run(List.of("owners"), ProductionSync.Listener.NONE);

        assertThat(stagingTables()).isEmpty();
        assertSameRows("owners");
    }

    @Test
    void aViewOnAProductionTableDoesNotBlockTheSwapAndIsDroppedWithTheOldTable() throws SQLException {
        ProductionSync sync = new ProductionSync(settings(), warehouse);
        sync.run(List.of("owners"), ProductionSync.Listener.NONE);
        warehouse.execute("CREATE SCHEMA marts");
        warehouse.execute("CREATE VIEW marts.owner_count AS SELECT count(*) AS owners FROM production.owners");
        warehouse.execute("CREATE VIEW marts.unrelated AS SELECT 1 AS x");

        sync.run(List.of("owners"), ProductionSync.Listener.NONE);

        assertThat(warehouse.rowCount(TableName.parse("production.owners"))).isEqualTo(demo.rows().get("owners"));
        assertThat(column(WAREHOUSE, "SELECT to_regclass('marts.owner_count') IS NULL")).containsExactly("t");
        assertThat(column(WAREHOUSE, "SELECT x FROM marts.unrelated")).containsExactly("1");
    }
}
