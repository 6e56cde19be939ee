package fr.zlv.entrepot.dbt;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL server of the integration tests (ENTREPOT_TEST_POSTGRES_URL, else 127.0.0.1:5432 as postgres, else
 * an embedded one started once per test JVM), and fresh databases on it, one per test, dropped after.
 */
public final class TestPostgres {

    private static PostgresServer server;

    private TestPostgres() {
    }

    public static synchronized PostgresServer server() {
        if (server == null) {
            server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
            PostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return server;
    }

    /** A new empty database named after {@code prefix}; closing it drops it. */
    public static Database createDatabase(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Database admin = new Database("postgres");
        admin.execute("create database " + name);
        return new Database(name);
    }

    /** A database of the test server. */
    public record Database(String name) implements AutoCloseable {

        /** A {@code type: postgres} target for profiles.yml, its password read with env_var (see {@link #environment}). */
        public String target(String targetName, String schema, int threads) {
            PostgresServer pg = server();
            return "    " + targetName + ":\n"
                    + "      type: postgres\n"
                    + "      host: " + pg.host() + "\n"
                    + "      port: " + pg.port() + "\n"
                    + "      user: " + pg.adminUser() + "\n"
                    + "      password: \"{{ env_var('ENTREPOT_TEST_PG_PASSWORD', '') }}\"\n"
                    + "      dbname: " + name + "\n"
                    + "      schema: " + schema + "\n"
                    + "      threads: " + threads + "\n";
        }

        /** What the target's env_var() reads: the server's password (none for a trusted local server). */
        public Map<String, String> environment() {
            String url = server().jdbcUrlWithCredentials(name);
            int at = url.indexOf("&password=");
            return Map.of("ENTREPOT_TEST_PG_PASSWORD", at < 0 ? ""
                    : URLDecoder.decode(url.substring(at + "&password=".length()), StandardCharsets.UTF_8));
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(server().jdbcUrlWithCredentials(name));
        }

        public void execute(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        /** The rows of a query, each value as JDBC gives it. */
        public List<List<Object>> rows(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                List<List<Object>> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        row.add(rows.getObject(c));
                    }
                    result.add(row);
                }
                return result;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!name.equals("postgres")) {
                new Database("postgres").execute("drop database if exists " + name + " with (force)");
            }
        }
    }
}
