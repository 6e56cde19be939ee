package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrepot publish} with a PostgreSQL warehouse: the mart built there by the dbt project goes to the BI file
 * and to a serving schema of the same database; the DuckDB-only targets and {@code restore} refuse with a hint.
 */
class PublishCommandPostgresIT {

    @TempDir
    Path home;

    private PostgresServer server;
    private String database;

    @BeforeEach
    void aPostgresWarehouseWithAMart() throws Exception {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
        database = "entrepot_publish_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = server.jdbcUrlWithCredentials(database);
        TestHome files = new TestHome(home);
        files.write("entrepot.yml", """
                warehouse:
                  path: "%s"
                orchestrator:
                  jobs: jobs.yml
                  store: data/runs.sqlite
                publish:
                  tables: publish.yml
                  bi_path: data/bi/bi.duckdb
                  postgres_url: "%s"
                  postgres_schema: serving
                  backup_directory: data/backups
                """.formatted(url, url));
        files.write("jobs.yml", "jobs:\n  build:\n    select: '*'\n");
        files.write("publish.yml", "source_schema: marts\ntables:\n  - {mart: marts_numbers, name: numbers}\n");
        files.write("dbt/dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    +materialized: table\n");
        files.write("dbt/profiles.yml", """
                little:
                  target: postgres
                  outputs:
                    postgres:
                      type: postgres
                      host: "{{ env_var('ENTREPOT_WAREHOUSE_HOST') }}"
                      port: "{{ env_var('ENTREPOT_WAREHOUSE_PORT') | int }}"
                      dbname: "{{ env_var('ENTREPOT_WAREHOUSE_DBNAME') }}"
                      user: "{{ env_var('ENTREPOT_WAREHOUSE_USER') }}"
                      password: "{{ env_var('ENTREPOT_WAREHOUSE_PASSWORD') }}"
                      schema: marts
                      threads: 1
                """);
        files.write("dbt/models/marts_numbers.sql",
                "select i as n, 'label, \"' || i || '\"' as label, i * 1.5 as amount from generate_series(0, 999) i\n");
        files.write("dbt/models/properties.yml", """
                version: 2
                models:
                  - name: marts_numbers
                    columns:
                      - {name: n, meta: {pii: none}}
                      - {name: label, meta: {pii: none}}
                      - {name: amount, meta: {pii: none}}
                """);
        CommandRun build = files.entrepot("materialize", "-s", "marts/marts_numbers");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void publishCopiesTheMartToTheBiFileAndTheServingSchema() throws Exception {
        CommandRun publish = new TestHome(home).entrepot("publish");
        assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();

        try (Connection bi = DriverManager.getConnection("jdbc:duckdb:" + home.resolve("data/bi/bi.duckdb"));
             Statement statement = bi.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), sum(n), max(label), sum(amount),"
                     + " (SELECT data_type FROM duckdb_columns() WHERE table_name = 'numbers' AND column_name = 'n')"
                     + " FROM numbers")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1000);
            assertThat(rows.getLong(2)).isEqualTo(499_500);
            assertThat(rows.getString(3)).isEqualTo("label, \"999\"");
            assertThat(rows.getDouble(4)).isEqualTo(749_250.0);
            assertThat(rows.getString(5)).isEqualTo("INTEGER");
        }
        try (Connection pg = server.connect(database); Statement statement = pg.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), sum(n) FROM serving.numbers")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1000);
            assertThat(rows.getLong(2)).isEqualTo(499_500);
        }
        assertThat(home.resolve("data/backups")).doesNotExist();
    }

    @Test
    void backupAndRestoreSayTheyNeedADuckdbWarehouse() {
        CommandRun backup = new TestHome(home).entrepot("publish", "--target", "backup");
        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.err()).contains("The backup target copies a DuckDB warehouse file; the warehouse"
                + " postgresql://" + server.host() + ":" + server.port() + "/" + database + " is a PostgreSQL database.")
                .contains("pg_dump").doesNotContain("password=");

        CommandRun restore = new TestHome(home).entrepot("restore");
        assertThat(restore.exitCode()).isEqualTo(2);
        assertThat(restore.err()).contains("is a PostgreSQL database").contains("pg_restore");
    }
}
