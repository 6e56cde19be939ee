package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same runs as {@link OrchestratorTest}, their history in a real PostgreSQL server (a schema per test). */
class OrchestratorPostgresIT extends OrchestratorTest {

    private static PostgresServer server;
    private String schema;

    @BeforeAll
    static void findServer() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    String storeLocation() {
        schema = "entrepot_runs_orch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return server.jdbcUrl("postgres") + "?user=" + server.adminUser() + "&currentSchema=" + schema;
    }

    @Override
    void dropStore() throws Exception {
        if (schema != null) {
            try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
