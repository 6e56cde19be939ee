package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way the production server can be out of reach gives one clear message, and loses nothing. */
class ConnectionErrorsIT {

    private static final String DATABASE = "entrepot_it_errors";

    @BeforeAll
    static void createProduction() {
        TestPostgres.demo(DATABASE, 200);
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(DATABASE);
    }

    private static ProductionSettings settings() {
        return TestPostgres.settings(DATABASE);
    }

    /** Runs a sync that must fail over a warehouse that already holds tables; they must survive. */
    private static EntrepotException failingSync(ProductionSettings settings) {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.execute("CREATE TABLE production.owners AS SELECT range AS id FROM range(7)");
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> new ProductionSync(settings, warehouse).run(List.of(), ProductionSync.Listener.NONE));
            assertThat(thrown).isInstanceOf(EntrepotException.class);
            assertThat(warehouse.tables("production")).containsExactly(TableName.parse("production.owners"));
            assertThat(warehouse.rowCount(TableName.parse("production.owners"))).isEqualTo(7);
            return (EntrepotException) thrown;
        }
    }

    @Test
    void anUnreachableServerIsNamedWithTheVariablesToCheck() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProductionSettings unreachable = settings().withConnection("127.0.0.1", closedPort, DATABASE, "zlv_readonly",
                Secret.of("zlv_readonly"));

        EntrepotException error = failingSync(unreachable);

        assertThat(error).hasMessageStartingWith("Cannot reach the production PostgreSQL at 127.0.0.1:" + closedPort);
        assertThat(error.hint()).contains("POSTGRES_PRODUCTION_DB").contains("POSTGRES_PRODUCTION_PORT");
        assertThat(error.exitCode()).isEqualTo(EntrepotException.FAILED);
    }

    @Test
    void anUnknownHostIsNamed() {
        ProductionSettings unknown = settings().withConnection("no-such-host.invalid", 5432, DATABASE, "zlv_readonly",
                Secret.of("zlv_readonly"));

        assertThat(failingSync(unknown)).hasMessage("Unknown host 'no-such-host.invalid' for the production PostgreSQL.");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        PostgresServer server = TestPostgres.server();
        ProductionSettings missing = settings().withConnection(server.host(), server.port(), "no_such_database",
                "zlv_readonly", Secret.of("zlv_readonly"));

        assertThat(failingSync(missing)).hasMessageStartingWith("There is no database 'no_such_database' on the production"
                + " PostgreSQL at " + server.host() + ":" + server.port());
    }

    @Test
    void aMissingTableIsNamedWithTheSettingToFix() {
        ProductionSettings missingTable = settings().withTables(List.of(ProductionTable.of("owners"),
                ProductionTable.of("no_such_table")));

        EntrepotException error = failingSync(missingTable);

        assertThat(error).hasMessage("Table public.no_such_table (synced as production.no_such_table) does not exist in"
                + " the production database " + DATABASE + ".");
        assertThat(error.hint()).contains("production.tables");
    }

    @Test
    void aWrongPasswordIsNamedWithoutShowingIt(@TempDir Path directory) throws Exception {
        // A server of our own that checks passwords (the shared test server may trust every local user).
        Path hba = directory.resolve("pg_hba.conf");
        Files.writeString(hba, """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(directory.toFile())
                .setDataDirectory(directory.resolve("data"))
                .setServerConfig("hba_file", hba.toString())
                .start()) {
            try (Connection admin = postgres.getPostgresDatabase().getConnection();
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE checked LOGIN PASSWORD 'the-right-one'");
            }
            ProductionSettings wrong = settings().withConnection("127.0.0.1", postgres.getPort(), "postgres", "checked",
                    Secret.of("not-the-password"));

            EntrepotException error = failingSync(wrong);

            assertThat(error).hasMessage("The production PostgreSQL at 127.0.0.1:" + postgres.getPort()
                    + " refused user 'checked': wrong password, or no such user.");
            assertThat(error.hint()).contains("POSTGRES_PRODUCTION_READONLY_PASSWORD");
            assertThat(error.getMessage() + error.hint()).doesNotContain("not-the-password");
        }
    }
}
