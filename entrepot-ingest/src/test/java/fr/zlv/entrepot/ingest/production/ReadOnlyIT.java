package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadOnlyIT {

    private static final String DATABASE = "entrepot_it_readonly";

    @BeforeAll
    static void createProduction() {
        TestPostgres.demo(DATABASE, 300);
        TestPostgres.execute(DATABASE,
                "DROP ROLE IF EXISTS entrepot_it_writer",
                "CREATE ROLE entrepot_it_writer LOGIN PASSWORD 'writer'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO entrepot_it_writer",
                "GRANT INSERT ON owners TO entrepot_it_writer");
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(DATABASE);
        TestPostgres.execute("postgres", "DROP ROLE IF EXISTS entrepot_it_writer");
    }

    private static ProductionSettings as(String user, String password) {
        PostgresServer server = TestPostgres.server();
        return TestPostgres.settings(DATABASE).withConnection(server.host(), server.port(), DATABASE, user,
                Secret.of(password));
    }

    @Test
    void aSuperuserIsRefusedAndNothingIsCopied() {
        PostgresServer server = TestPostgres.server();
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.execute("CREATE TABLE production.owners AS SELECT 'previous' AS full_name");

            assertThatThrownBy(() -> new ProductionSync(as(server.adminUser(), ""), warehouse).run(List.of(),
                    ProductionSync.Listener.NONE))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("The production user '" + server.adminUser() + "' can change production (superuser")
                    .hasMessageContaining("the sync refuses a user that can write")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("require_read_only_user"));

            assertThat(warehouse.tables("production")).containsExactly(TableName.parse("production.owners"));
            assertThat(warehouse.rowCount(TableName.parse("production.owners"))).isEqualTo(1);
        }
    }

    @Test
    void aUserWithOneWritePrivilegeIsRefusedNamingTheTable() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> new ProductionSync(as("entrepot_it_writer", "writer"), warehouse)
                    .run(List.of(), ProductionSync.Listener.NONE))
                    .hasMessageContaining("'entrepot_it_writer' can change production (may write to \"public\".\"owners\")");
        }
    }

    @Test
    void whenAllowedAWritableUserStillReadsThroughReadOnlySessions() throws SQLException {
        ProductionSettings settings = as(TestPostgres.server().adminUser(), "").withRequireReadOnlyUser(false);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            SyncReport report = new ProductionSync(settings, warehouse).run(List.of("owners"), ProductionSync.Listener.NONE);
            assertThat(report.tables().get(0).rows()).isPositive();
        }
        try (Connection session = new ProductionConnections(settings).open(); Statement statement = session.createStatement()) {
            assertThatThrownBy(() -> statement.execute("DELETE FROM owners_housing"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction");
        }
    }

    @Test
    void aSessionThatCanWriteIsRefusedBeforeAnyRead() throws SQLException {
        try (Connection writable = TestPostgres.server().connect(DATABASE)) {
            writable.setAutoCommit(false);
            assertThatThrownBy(() -> ReadOnlyGuard.check(writable, List.of("public.owners"), false))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("is not read-only (transaction_read_only is off)");
        }
    }
}
