package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The warehouse as a PostgreSQL database: schemas, tables, the swap, messages that keep the password out. */
class PostgresWarehouseIT {

    private String database;

    @BeforeEach
    void createDatabase() {
        database = "warehouse_pg_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestPostgres.execute("postgres", "CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() {
        TestPostgres.drop(database);
    }

    private WarehouseSettings settings() {
        return new WarehouseSettings(TestPostgres.server().jdbcUrlWithCredentials(database), null, null, null);
    }

    @Test
    void openingCreatesTheSchemasAndTheSwapReplacesTablesInOneTransaction() throws SQLException {
        try (Warehouse warehouse = Warehouse.open(settings())) {
            assertThat(warehouse.isPostgres()).isTrue();
            assertThat(warehouse.path()).isEmpty();
            assertThat(warehouse.location()).isEqualTo("postgresql://" + TestPostgres.server().host() + ":"
                    + TestPostgres.server().port() + "/" + database);
            assertThat(warehouse.schemas()).startsWith("production", "lovac", "ff", "external", "_entrepot");
            assertThat(warehouse.engineVersion()).startsWith("PostgreSQL");

            TableName owners = new TableName("production", "owners");
            warehouse.execute("CREATE TABLE production.owners (id integer, version integer)");
            warehouse.execute("INSERT INTO production.owners VALUES (1, 1), (2, 1)");
            // A view on the live table, as the dbt project's staging views are: the swap takes it along.
            warehouse.execute("CREATE SCHEMA stg");
            warehouse.execute("CREATE VIEW stg.owners AS SELECT * FROM production.owners");
            warehouse.execute("CREATE TABLE " + Warehouse.stagingTable(owners).sql() + " AS SELECT id, 2 AS version"
                    + " FROM generate_series(1, 3) AS id");

            warehouse.swap(List.of(owners));

            assertThat(warehouse.tables("production")).containsExactly(owners);
            assertThat(warehouse.rowCount(owners)).isEqualTo(3);
            assertThat(warehouse.exists(new TableName("stg", "owners"))).isFalse();
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM information_schema.views"
                         + " WHERE table_schema = 'stg'")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
        }
    }

    @Test
    void aFailedSwapLeavesEveryLiveTableAsItWas() {
        try (Warehouse warehouse = Warehouse.open(settings())) {
            TableName owners = new TableName("production", "owners");
            TableName housing = new TableName("production", "housing");
            warehouse.execute("CREATE TABLE production.owners AS SELECT 1 AS version");
            warehouse.execute("CREATE TABLE production.housing AS SELECT 1 AS version");
            warehouse.execute("CREATE TABLE " + Warehouse.stagingTable(owners).sql() + " AS SELECT 2 AS version");
            // No staging table for housing: the second rename fails, and the first is rolled back with it.

            assertThatThrownBy(() -> warehouse.swap(List.of(owners, housing)))
                    .isInstanceOf(EntrepotException.class).hasMessageContaining("Cannot swap in the new tables");

            assertThat(warehouse.queryValue("SELECT max(version) FROM production.owners")).isEqualTo("1");
            assertThat(warehouse.tables("production")).contains(Warehouse.stagingTable(owners));
        }
    }

    @Test
    void anUnreachableServerIsNamedWithoutItsPassword() {
        WarehouseSettings unreachable = new WarehouseSettings(
                "jdbc:postgresql://127.0.0.1:1/warehouse?user=entrepot&password=s3cret-never-shown", null, null, null);

        assertThatThrownBy(() -> Warehouse.open(unreachable))
                .isInstanceOf(EntrepotException.class)
                .hasMessageStartingWith("Cannot connect to the PostgreSQL warehouse postgresql://127.0.0.1:1/warehouse:")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theDbtProfileReadsTheUrlsParts() {
        WarehouseSettings settings = new WarehouseSettings(
                "jdbc:postgresql://db.example:6543/analytics?user=builder&password=p%40ss", null, null, null);

        assertThat(settings.isPostgres()).isTrue();
        assertThat(settings.profileEnvironment()).containsAllEntriesOf(Map.of("ENTREPOT_WAREHOUSE_HOST", "db.example",
                "ENTREPOT_WAREHOUSE_PORT", "6543", "ENTREPOT_WAREHOUSE_DBNAME", "analytics",
                "ENTREPOT_WAREHOUSE_USER", "builder", "ENTREPOT_WAREHOUSE_PASSWORD", "p@ss"));
        assertThat(settings.dbtTarget(null)).isEqualTo("postgres");
        assertThat(settings.dbtTarget("other")).isEqualTo("other");
        assertThat(new WarehouseSettings("data/w.duckdb", null, null, null).dbtTarget(null)).isNull();
    }
}
