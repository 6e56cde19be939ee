package fr.zlv.entrepot.demo.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProductionDatabaseIT {

    private static PostgresServer server;
    private static ProductionDatabase.Result result;

    @BeforeAll
    static void generate() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
        result = ProductionDatabase.create(server, "entrepot_it_demo", ProductionDatabase.Options.of(3_000, 7),
                ProductionDatabase.Progress.NONE);
    }

    @AfterAll
    static void stop() throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS entrepot_it_demo WITH (FORCE)");
            statement.execute("DROP DATABASE IF EXISTS entrepot_it_demo_again WITH (FORCE)");
        }
        server.close();
    }

    private static long scalar(String database, String sql) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String text(String database, String sql) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void everyProductionTableIsCreatedAndFilled() throws SQLException {
        assertThat(result.rows()).containsOnlyKeys("buildings", "fast_housing", "owners", "owners_housing", "events",
                "housing_events", "housing_document_events", "owner_events", "group_housing_events", "establishments",
                "users", "campaigns", "campaigns_housing", "groups", "groups_housing", "geo_perimeters", "notes",
                "housing_notes", "owner_notes");
        assertThat(result.rows().get("fast_housing")).isEqualTo(3_000);
        for (var table : result.rows().entrySet()) {
            assertThat(table.getValue()).as(table.getKey()).isPositive();
            assertThat(scalar("entrepot_it_demo", "SELECT count(*) FROM " + table.getKey()))
                    .as(table.getKey()).isEqualTo(table.getValue());
        }
        // fast_housing is partitioned by département, like the application's.
        assertThat(scalar("entrepot_it_demo", "SELECT count(*) FROM pg_inherits WHERE inhparent = 'fast_housing'::regclass"))
                .isEqualTo(11);
        assertThat(scalar("entrepot_it_demo", "SELECT count(*) FROM fast_housing_default")).isZero();
    }

    @Test
    void theDistributionsLookLikeTheProgrammes() throws SQLException {
        String db = "entrepot_it_demo";
        long housings = scalar(db, "SELECT count(*) FROM fast_housing");
        assertThat(scalar(db, "SELECT count(*) FROM fast_housing WHERE status = 0")).isGreaterThan(housings / 2);
        assertThat(scalar(db, "SELECT count(DISTINCT status) FROM fast_housing")).isEqualTo(6);
        assertThat(scalar(db, "SELECT count(*) FROM fast_housing WHERE occupancy = 'V'")).isGreaterThan(housings / 2);
        // Owners with several housings, housings with several owners.
        assertThat(scalar(db, "SELECT count(*) FROM (SELECT owner_id FROM owners_housing WHERE rank >= 1"
                + " GROUP BY owner_id HAVING count(*) > 1) t")).isPositive();
        assertThat(scalar(db, "SELECT count(*) FROM owners_housing WHERE rank = 2")).isPositive();
        assertThat(scalar(db, "SELECT count(*) FROM owners_housing WHERE rank = 0")).isPositive();
        // Commune codes stay text with their leading zero, Corsica included.
        assertThat(scalar(db, "SELECT count(*) FROM fast_housing WHERE geo_code LIKE '01%'")).isPositive();
        assertThat(scalar(db, "SELECT count(*) FROM fast_housing WHERE geo_code LIKE '2A%'")).isPositive();
        // Follow-up events carry status labels, as the application writes them.
        assertThat(scalar(db, "SELECT count(*) FROM events WHERE type = 'housing:status-updated'"
                + " AND next_new->>'status' = 'Suivi en cours'")).isPositive();
        // A campaign's return rate counts its housings that answered.
        assertThat(scalar(db, "SELECT count(*) FROM campaigns WHERE sent_at IS NOT NULL AND return_count > 0"))
                .isPositive();
        // Personal data is shaped like the real one.
        assertThat(text(db, "SELECT email FROM owners WHERE email IS NOT NULL LIMIT 1")).matches("[a-z0-9.-]+@[a-z.]+");
        assertThat(text(db, "SELECT phone FROM owners WHERE phone IS NOT NULL LIMIT 1")).matches("0\\d( \\d\\d){4}");
        assertThat(scalar(db, "SELECT count(*) FROM owners WHERE birth_date IS NOT NULL")).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameRows() throws SQLException {
        ProductionDatabase.create(server, "entrepot_it_demo_again", ProductionDatabase.Options.of(3_000, 7),
                ProductionDatabase.Progress.NONE);
        for (String table : new String[] {"fast_housing", "owners", "owners_housing", "events", "campaigns"}) {
            String checksum = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t";
            assertThat(text("entrepot_it_demo_again", checksum)).as(table).isEqualTo(text("entrepot_it_demo", checksum));
        }
    }

    @Test
    void theReadOnlyRoleCanReadButNotWrite() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", result.readOnlyUser());
        properties.setProperty("password", result.readOnlyPassword().reveal());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("entrepot_it_demo"), properties);
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM owners")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(result.rows().get("owners"));
            }
            assertThatThrownBy(() -> statement.execute("DELETE FROM owners_housing"))
                    .isInstanceOf(SQLException.class);
        }
    }
}
