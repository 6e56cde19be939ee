package fr.zlv.entrepot.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run store in a real PostgreSQL server: ENTREPOT_TEST_POSTGRES_URL, else the one on 127.0.0.1:5432, else an
 * embedded one. Each test has a schema of its own in the {@code postgres} database, dropped after it.
 */
class PostgresRunStoreIT extends RunStoreContract {

    private static PostgresServer server;
    private static String password;

    @BeforeAll
    static void findServer() {
        String configured = System.getenv("ENTREPOT_TEST_POSTGRES_URL");
        server = PostgresLocator.find(configured, Path.of("target", "embedded-pg"));
        PostgresServer found = server;
        Runtime.getRuntime().addShutdownHook(new Thread(found::close));
        // The locator keeps the password to itself; a server it found without one trusts local users, and ignores
        // this one, which is there to show that it is never displayed.
        Matcher given = configured == null ? null
                : Pattern.compile("password=([^&]*)|//[^/:@]*:([^/@]*)@").matcher(configured);
        password = given != null && given.find() ? (given.group(1) != null ? given.group(1) : given.group(2))
                : "never-shown";
    }

    private static String url(String database, String schema) {
        String url = server.jdbcUrl(database) + "?user=" + server.adminUser() + "&password=" + password;
        return schema == null ? url : url + "&currentSchema=" + schema;
    }

    @Override
    String newLocation() {
        return url("postgres", "entrepot_runs_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @Override
    void removeLocation(String location) throws SQLException {
        String schema = location.substring(location.indexOf("currentSchema=") + "currentSchema=".length());
        execute("postgres", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Override
    StoreDialect dialect() {
        return StoreDialect.POSTGRESQL;
    }

    private static void execute(String database, String sql) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> tables(String database, String schema) throws SQLException {
        try (Connection connection = server.connect(database);
             PreparedStatement query = connection.prepareStatement("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = ? ORDER BY table_name")) {
            query.setString(1, schema);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    @Test
    void theTablesLiveInTheSchemaTheUrlNames() throws SQLException {
        String schema = location.substring(location.indexOf("currentSchema=") + "currentSchema=".length());

        assertThat(tables("postgres", schema)).containsExactly("audit_log", "check_results", "events", "latest_materializations",
                "materializations", "runs", "schedule_states", "schedule_ticks", "schema_version", "steps", "work_items",
                "work_needs");
    }

    @Test
    void withoutASchemaInTheUrlTheTablesGoToEntrepotRuns() throws SQLException {
        String database = "entrepot_it_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        execute("postgres", "CREATE DATABASE " + database);
        try {
            try (RunStore defaultSchema = RunStores.open(url(database, null))) {
                defaultSchema.createRun(queued("r1", "daily", T0));
                assertThat(defaultSchema.run("r1")).isPresent();
            }
            assertThat(tables(database, RunStores.DEFAULT_SCHEMA)).contains("runs", "events", "schema_version");
            assertThat(tables(database, "public")).isEmpty();
        } finally {
            execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void theLocationShowsTheUrlWithoutThePassword() {
        assertThat(store.location()).contains("password=***").doesNotContain("password=" + password)
                .startsWith(server.jdbcUrl("postgres"));
    }

    @Test
    void aMissingDatabaseIsNamed() {
        EntrepotException error = catchThrowableOfType(() -> RunStores.open(url("no_such_database_for_runs", null)),
                EntrepotException.class);

        assertThat(error).hasMessageStartingWith("The PostgreSQL server of the run store at "
                + server.jdbcUrl("no_such_database_for_runs") + "?user=" + server.adminUser()
                + "&password=*** has no such database: ");
        assertThat(error.hint()).contains("CREATE DATABASE");
    }
}
