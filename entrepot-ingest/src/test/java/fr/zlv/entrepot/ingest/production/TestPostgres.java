package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.core.settings.SettingsLoader;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL server of the integration tests: ENTREPOT_TEST_POSTGRES_URL, else the one on
 * 127.0.0.1:5432, else an embedded one (started once per test JVM).
 */
final class TestPostgres {

    private static PostgresServer server;

    private TestPostgres() {
    }

    static synchronized PostgresServer server() {
        if (server == null) {
            server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
            PostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return server;
    }

    /** A fresh demo production database of {@code housings} housings. */
    static ProductionDatabase.Result demo(String database, long housings) {
        return ProductionDatabase.create(server(), database, ProductionDatabase.Options.of(housings, 11),
                ProductionDatabase.Progress.NONE);
    }

    /** The shipped settings' production section, pointed at {@code database} as the read-only role. */
    static ProductionSettings settings(String database) {
        Settings shipped = new SettingsLoader(Map.of()).load(Path.of("..", "warehouse", "entrepot.yml")).settings();
        PostgresServer pg = server();
        return shipped.production().withConnection(pg.host(), pg.port(), database, ProductionDatabase.READONLY_ROLE,
                ProductionDatabase.READONLY_PASSWORD);
    }

    static void execute(String database, String... statements) {
        try (Connection connection = server().connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void drop(String database) {
        execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
}
