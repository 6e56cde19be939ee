package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrepot publish}, {@code restore} and {@code import} on a small warehouse whose marts are a dbt project's:
 * what they write, print, refuse, and their exit codes.
 */
class PublishCommandTest {

    @TempDir
    Path home;

    private final ObjectMapper json = new ObjectMapper();

    private void write(String path, String text) throws IOException {
        new TestHome(home).write(path, text);
    }

    @BeforeEach
    void aWarehouseWithAMart() throws IOException {
        write("entrepot.yml", """
                warehouse:
                  path: data/warehouse.duckdb
                orchestrator:
                  jobs: jobs.yml
                  store: data/runs.sqlite
                publish:
                  tables: publish.yml
                  bi_path: data/bi/bi.duckdb
                  export_directory: data/export
                  backup_directory: data/backups
                """);
        write("jobs.yml", "jobs:\n  build:\n    select: '*'\n");
        write("publish.yml", "source_schema: marts\ntables:\n  - {mart: marts_numbers, name: numbers}\n");
        write("dbt/dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    +materialized: table\n");
        write("dbt/profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      schema: marts\n      path: \"{{ env_var('ENTREPOT_WAREHOUSE') }}\"\n");
        write("dbt/models/marts_numbers.sql", "select i as n, 'label ' || i as label from range(1000) t(i)\n");
        write("dbt/models/properties.yml", """
                version: 2
                models:
                  - name: marts_numbers
                    columns:
                      - {name: n, meta: {pii: none}}
                      - {name: label, meta: {pii: none}}
                """);
        CommandRun build = entrepot("materialize", "-s", "marts/marts_numbers");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
    }

    private CommandRun entrepot(String... args) {
        return new TestHome(home).entrepot(args);
    }

    private static long count(Path file, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void publishWritesTheBiFileABackupAndAnExportThatImportsBack() throws Exception {
        CommandRun publish = entrepot("publish", "--target", "bi,backup,export", "--json");
        assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
        JsonNode run = json.readTree(publish.out());
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(count(home.resolve("data/bi/bi.duckdb"), "SELECT count(*) FROM numbers")).isEqualTo(1000);

        JsonNode backups = json.readTree(entrepot("restore", "--list", "--json").out());
        assertThat(backups).hasSize(1);

        Path export;
        try (Stream<Path> exports = Files.list(home.resolve("data/export"))) {
            export = exports.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        CommandRun imported = entrepot("import", export.toString(), "--into", home.resolve("copy.duckdb").toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("Imported " + export + " into " + home.resolve("copy.duckdb"));
        assertThat(count(home.resolve("copy.duckdb"), "SELECT count(*) FROM marts.marts_numbers")).isEqualTo(1000);

        // The warehouse loses its mart; restore puts the backup back.
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + home.resolve("data/warehouse.duckdb"));
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE marts.marts_numbers");
        }
        CommandRun restore = entrepot("restore");
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("Restored backup ").contains(" into " + home.resolve("data/warehouse.duckdb"));
        assertThat(count(home.resolve("data/warehouse.duckdb"), "SELECT count(*) FROM marts.marts_numbers"))
                .isEqualTo(1000);
    }

    @Test
    void aMartWithPersonalDataIsNotPublishedAndTheLiveFileStays() throws Exception {
        CommandRun first = entrepot("publish", "--target", "bi");
        assertThat(first.exitCode()).as(first.err()).isZero();

        write("dbt/models/marts_numbers.sql", "select i as n, 'person' || i || '@example.org' as label"
                + " from range(1000) t(i)\n");
        assertThat(entrepot("materialize", "-s", "marts/marts_numbers").exitCode()).isEqualTo(1);
        CommandRun refused = entrepot("publish", "--target", "bi");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("marts.marts_numbers.label");
        assertThat(count(home.resolve("data/bi/bi.duckdb"), "SELECT count(*) FROM numbers WHERE label LIKE '%@%'"))
                .isZero();
    }

    @Test
    void badInputIsNamedWithExitCodeTwo() {
        CommandRun target = entrepot("publish", "--target", "tableau");
        assertThat(target.exitCode()).isEqualTo(2);
        assertThat(target.err()).contains("Unknown publication target 'tableau'")
                .contains("Use bi, postgres, s3, backup, export or motherduck.");

        CommandRun notAnExport = entrepot("import", home.resolve("dbt").toString(), "--into",
                home.resolve("never.duckdb").toString());
        assertThat(notAnExport.exitCode()).isEqualTo(2);
        assertThat(notAnExport.err()).contains(home.resolve("dbt") + " is not a database export");
        assertThat(home.resolve("never.duckdb")).doesNotExist();

        CommandRun existing = entrepot("import", home.resolve("dbt").toString(), "--into",
                home.resolve("data/warehouse.duckdb").toString());
        assertThat(existing.exitCode()).isEqualTo(2);
    }
}
