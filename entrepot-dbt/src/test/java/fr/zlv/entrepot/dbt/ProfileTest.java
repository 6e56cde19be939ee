package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** profiles.yml: where it is found, env_var() inside, and the DuckDB target's path, settings, extensions, attach. */
class ProfileTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aDuckDbTargetWithSettingsExtensionsAndAttachedDatabases() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("reference.duckdb"));
             Statement statement = other.createStatement()) {
            statement.execute("create table regions as select * from (values ('84', 'Auvergne-Rhône-Alpes'),"
                    + " ('11', 'Île-de-France')) as t(code, name)");
        }
        write("dbt_project.yml", "name: prof\nprofile: prof\nmodels:\n  prof:\n    +materialized: table\n"
                + "    regional:\n      +alias: regions_v1\n");
        write("config/profiles.yml", """
                prof:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: "{{ env_var('PROF_DIR') }}/warehouse.duckdb"
                      threads: 2
                      extensions: [json]
                      settings:
                        memory_limit: 512MB
                      attach:
                        - path: reference.duckdb
                          alias: reference
                          read_only: true
                """);
        write("models/regional/regions.sql", "select code, name, current_setting('memory_limit') as memory,"
                + " json_object('code', code) as as_json from reference.main.regions");
        DbtEngine.Options options = DbtEngine.Options.of(project).withProfilesDir(project.resolve("config"))
                .withEnvironment(Map.of("PROF_DIR", project.toString())).withConsole(line -> { });
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.run(Selection.ALL).succeeded()).isTrue();
            // +alias names the relation.
            assertThat(dbt.adapter().query("select code, memory, as_json::varchar from main.regions_v1 order by code")
                    .getRows()).containsExactly(List.of("11", "488.2 MiB", "{\"code\":\"11\"}"),
                    List.of("84", "488.2 MiB", "{\"code\":\"84\"}"));
        }
        assertThat(project.resolve("warehouse.duckdb")).exists();
    }

    @Test
    void theProfilesDirectoryComesFromTheFlagThenTheEnvironmentThenTheProject() throws IOException {
        write("dbt_project.yml", "name: prof\nprofile: prof\n");
        write("models/a.sql", "select 1 as id");
        String profile = "prof:\n  target: %s\n  outputs:\n    %s:\n      type: duckdb\n      path: \":memory:\"\n";
        write("profiles.yml", profile.formatted("in_project", "in_project"));
        write("elsewhere/profiles.yml", profile.formatted("from_env", "from_env"));
        DbtEngine.Options options = DbtEngine.Options.of(project).withConsole(line -> { });
        try (DbtEngine dbt = DbtEngine.load(options.withEnvironment(Map.of()))) {
            assertThat(dbt.project().profile().targetName()).isEqualTo("in_project");
        }
        try (DbtEngine dbt = DbtEngine.load(options.withEnvironment(Map.of("DBT_PROFILES_DIR",
                project.resolve("elsewhere").toString())))) {
            assertThat(dbt.project().profile().targetName()).isEqualTo("from_env");
        }
        assertThatThrownBy(() -> DbtEngine.load(options.withEnvironment(Map.of())
                .withProfilesDir(project.resolve("nowhere")))).hasMessageContaining("No profiles.yml at "
                + project.resolve("nowhere").resolve("profiles.yml") + " (from --profiles-dir)");
    }

    @Test
    void anExtensionThatCannotLoadIsAClearError() throws IOException {
        write("dbt_project.yml", "name: prof\nprofile: prof\n");
        write("profiles.yml", "prof:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \":memory:\"\n"
                + "      extensions: [no_such_extension]\n");
        write("models/a.sql", "select 1 as id");
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of())
                .withConsole(line -> { }))) {
            assertThatThrownBy(() -> dbt.adapter().query("select 1"))
                    .hasMessageContaining("The DuckDB extension 'no_such_extension' of the profile cannot be loaded");
        }
    }

    @Test
    void aPostgresTargetLackingItsDatabaseOrWithAWrongPortIsAClearError() throws IOException {
        write("dbt_project.yml", "name: prof\nprofile: prof\n");
        write("profiles.yml", "prof:\n  target: pg\n  outputs:\n    pg:\n      type: postgres\n      host: localhost\n"
                + "      user: analyst\n      schema: analytics\n");
        DbtEngine.Options options = DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(line -> { });
        assertThatThrownBy(() -> DbtEngine.load(options)).hasMessageContaining("Target 'pg' of "
                + project.resolve("profiles.yml") + " (type: postgres) lacks dbname.")
                .satisfies(e -> assertThat(((fr.zlv.entrepot.core.EntrepotException) e).hint())
                        .startsWith("A postgres target needs host, user, dbname (or database)"));
        write("profiles.yml", "prof:\n  target: pg\n  outputs:\n    pg:\n      type: postgres\n      host: localhost\n"
                + "      user: analyst\n      dbname: zlv\n      port: five\n");
        assertThatThrownBy(() -> DbtEngine.load(options)).hasMessageContaining("port is 'five', not a whole number");
    }

    @Test
    void aPostgresTargetsKeysReachJinjaButNotItsPasswordNorItsErrors() throws IOException {
        write("dbt_project.yml", "name: prof\nprofile: prof\n");
        write("models/a.sql", "select '{{ target.type }} {{ target.host }} {{ target.port }} {{ target.dbname }}"
                + " {{ target.database }} {{ target.schema }} {{ target.user }} [{{ target.password }}]' as t");
        // Port 1 on the loopback: nothing listens there.
        write("profiles.yml", """
                prof:
                  target: pg
                  outputs:
                    pg:
                      type: postgres
                      host: 127.0.0.1
                      port: 1
                      user: analyst
                      password: "{{ env_var('PROF_PG_PASSWORD') }}"
                      dbname: zlv
                      schema: analytics
                      connect_timeout: 2
                """);
        DbtEngine.Options options = DbtEngine.Options.of(project).withConsole(line -> { })
                .withEnvironment(Map.of("PROF_PG_PASSWORD", "s3cret-never-shown"));
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.project().profile().type()).isEqualTo("postgres");
            dbt.compile(Selection.ALL);
            assertThat(Files.readString(project.resolve("target/compiled/prof/models/a.sql")))
                    .contains("'postgres 127.0.0.1 1 zlv zlv analytics analyst []' as t");
            assertThatThrownBy(() -> dbt.adapter().query("select 1"))
                    .hasMessageStartingWith("Cannot connect to PostgreSQL at 127.0.0.1:1/zlv as analyst: ")
                    .hasMessageNotContaining("s3cret");
        }
    }
}
