package fr.zlv.entrepot.orchestrator.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy check on a PostgreSQL warehouse: the little project ({@link LittleProject}) built on DuckDB and on a
 * real PostgreSQL gives the same findings, column by column, with the same sampled values.
 */
class PrivacyCheckPostgresIT {

    @TempDir
    Path project;

    private PostgresServer server;
    private String database;

    @BeforeEach
    void createDatabase() throws SQLException {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
        database = "privacy_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("create database " + database);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        }
    }

    @Test
    void aPostgresqlWarehouseGivesTheFindingsOfDuckdb() throws IOException, SQLException {
        Manifest manifest = LittleProject.build(project);
        Files.writeString(project.resolve("profiles.yml"), "little:\n  target: pg\n  outputs:\n    pg:\n"
                + "      type: postgres\n      host: " + server.host() + "\n      port: " + server.port() + "\n"
                + "      user: " + server.adminUser() + "\n      dbname: " + database + "\n      schema: public\n"
                + "      threads: 1\n");
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withConsole(line -> { }))) {
            assertThat(dbt.build(DbtEngine.Selection.ALL).results()).noneMatch(r -> r.failed());
        }
        PrivacyCheck check = PrivacyCheck.of(manifest);

        PrivacyCheck.Report onDuckdb;
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("little.duckdb"))) {
            onDuckdb = check.check(duck, "marts");
        }
        PrivacyCheck.Report onPostgres;
        try (Connection postgres = server.connect(database)) {
            onPostgres = check.check(postgres, "marts");
        }

        assertThat(onPostgres.tables()).isEqualTo(onDuckdb.tables()).isEqualTo(5);
        assertThat(onPostgres.columns()).isEqualTo(onDuckdb.columns());
        List<String> expected = onDuckdb.findings().stream().map(Finding::toString).sorted().toList();
        assertThat(expected).anyMatch(f -> f.contains("(personal-values)")).anyMatch(f -> f.contains("(direct)"));
        assertThat(onPostgres.findings().stream().map(Finding::toString).sorted().toList())
                .containsExactlyElementsOf(expected);
    }
}
