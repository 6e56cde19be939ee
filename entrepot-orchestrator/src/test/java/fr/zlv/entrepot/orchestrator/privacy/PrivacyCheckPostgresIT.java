package fr.zlv.entrepot.orchestrator.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy check (the publication's PII gate) on marts in a PostgreSQL warehouse: the same findings as in DuckDB
 * for the same columns and values, PostgreSQL's text types (text, varchar, text[]) sampled like DuckDB's VARCHAR.
 */
class PrivacyCheckPostgresIT {

    private static PostgresServer server;

    @TempDir
    Path project;
    private Manifest manifest;
    private String database;

    @BeforeAll
    static void findServer() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
        PostgresServer found = server;
        Runtime.getRuntime().addShutdownHook(new Thread(found::close));
    }

    @BeforeEach
    void martsInPostgres() throws Exception {
        manifest = LittleProject.build(project);
        database = "entrepot_privacy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection pg = server.connect(database); Statement statement = pg.createStatement()) {
            statement.execute("CREATE SCHEMA marts");
            statement.execute("CREATE TABLE marts.marts_contacts (owner_id integer, contact varchar(200))");
            statement.execute("INSERT INTO marts.marts_contacts VALUES (1, 'jean.dupont@example.fr'),"
                    + " (2, 'marie.durand@example.fr'), (3, NULL)");
            statement.execute("CREATE TABLE marts.marts_owners_direct (owner_id integer, full_name text, phone text[])");
            statement.execute("INSERT INTO marts.marts_owners_direct VALUES (1, 'Jean Dupont', ARRAY['Paris']),"
                    + " (2, 'Marie Durand', ARRAY['Lyon']), (3, 'Hélène Martin', NULL)");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void theGateFindsPersonalDataInPostgresMartsAsInDuckdb() throws SQLException {
        try (Connection pg = server.connect(database)) {
            PrivacyCheck check = PrivacyCheck.of(manifest);

            assertThat(check.checkTable(pg, "marts", "marts_contacts")).extracting(Finding::toString).containsExactly(
                    "marts.marts_contacts.contact (personal-values): 2 of 2 sampled values (100%) look like personal"
                            + " data: 2 e-mail addresses (flagged from 20%)");
            assertThat(check.checkTable(pg, "marts", "marts_owners_direct")).extracting(Finding::toString)
                    .containsExactly(
                            "marts.marts_owners_direct.full_name (direct): the column is classified pii: direct in"
                                    + " models/marts/_marts.yml",
                            "marts.marts_owners_direct.full_name (personal-values): 3 of 3 sampled values (100%) look"
                                    + " like personal data: 3 people's names (flagged from 20%)",
                            "marts.marts_owners_direct.phone (direct): a column of that name is classified pii: direct"
                                    + " in model stg_owners, upstream of this mart");
            assertThat(new PrivacyGate(check, pg).problems("marts", "marts_contacts")).singleElement()
                    .asString().startsWith("marts.marts_contacts.contact: personal-values");
        }
    }
}
