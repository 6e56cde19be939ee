package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrepot privacy check} on a small dbt project: what it prints and its exit codes. */
class PrivacyCommandTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aProjectWithAMartThatLeaksEmails() throws IOException {
        write("dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    marts:\n"
                + "      +schema: marts\n      +materialized: table\n");
        write("profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: little.duckdb\n      threads: 1\n");
        write("macros/generate_schema_name.sql", "{% macro generate_schema_name(custom_schema_name, node) -%}"
                + "{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}"
                + "{%- endif -%}{%- endmacro %}\n");
        write("models/staging/stg_users.sql", "select * from (values (1, 'anne.martin@example.fr', 'Anne Martin'),"
                + " (2, 'paul.petit@example.fr', 'Paul Petit')) as t(user_id, email, full_name)\n");
        write("models/marts/marts_users.sql", "select sha256('k' || user_id::varchar) as user_key,"
                + " email as login, 1 as accounts from {{ ref('stg_users') }}\n");
        write("models/properties.yml", """
                version: 2
                models:
                  - name: stg_users
                    columns:
                      - {name: user_id, meta: {pii: indirect}}
                      - {name: email, meta: {pii: direct}}
                      - {name: full_name, meta: {pii: direct}}
                  - name: marts_users
                    columns:
                      - {name: user_key, meta: {pii: none}}
                      - {name: login, meta: {pii: none}}
                      - {name: accounts, meta: {pii: none}}
                """);
        CommandRun build = CommandRun.of("dbt", "build", "-q", "--project-dir", project.toString());
        assertThat(build.exitCode()).as(build.err()).isZero();
    }

    private CommandRun privacy(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "privacy";
        all[1] = "check";
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "--project-dir";
        all[args.length + 3] = project.toString();
        return CommandRun.of(all);
    }

    @Test
    void aMartWithEmailsFailsWithExitOneNamingTheColumn() {
        CommandRun check = privacy();

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("Privacy check of schema marts in " + project.resolve("little.duckdb")
                        + " (dbt project little): 1 table(s), 3 column(s).")
                .containsPattern("marts\\.marts_users\\.login +personal-values +2 of 2 sampled values \\(100%\\) look"
                        + " like personal data: 2 e-mail addresses \\(flagged from 20%\\)")
                .contains("personal-values: Check what the column holds");
        assertThat(check.out()).doesNotContain("anne.martin");
        assertThat(check.err()).contains("error: The privacy check failed: 1 problem(s) in 1 column(s) of schema"
                + " marts: marts.marts_users.login.").contains("hint: Classify every mart column");
    }

    @Test
    void jsonListsTheFindingsWithTheirRuleAndHint() throws IOException {
        CommandRun check = privacy("--json");

        assertThat(check.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(check.out());
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(report.get("tables").asInt()).isEqualTo(1);
        assertThat(report.at("/findings/0/table").asText()).isEqualTo("marts.marts_users");
        assertThat(report.at("/findings/0/column").asText()).isEqualTo("login");
        assertThat(report.at("/findings/0/rule").asText()).isEqualTo("personal-values");
        assertThat(report.at("/findings/0/hint").asText()).isNotBlank();
    }

    @Test
    void aCleanMartPassesWithExitZero() throws IOException {
        write("models/marts/marts_users.sql", "select sha256('k' || user_id::varchar) as user_key, 1 as accounts"
                + " from {{ ref('stg_users') }}\n");
        write("models/properties.yml", Files.readString(project.resolve("models/properties.yml"))
                .replace("      - {name: login, meta: {pii: none}}\n", ""));
        assertThat(CommandRun.of("dbt", "build", "-q", "--project-dir", project.toString()).exitCode()).isZero();

        CommandRun check = privacy();

        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("1 table(s), 2 column(s).").contains("passed: every column is classified");
        assertThat(check.err()).isEmpty();
    }

    @Test
    void aDirectColumnAndAnUnclassifiedOneAreNamedToo() throws IOException {
        write("models/marts/marts_users.sql", "select full_name, 1 as accounts, 'x' as note from {{ ref('stg_users') }}\n");
        write("models/properties.yml", Files.readString(project.resolve("models/properties.yml"))
                .replace("{name: user_key, meta: {pii: none}}", "{name: full_name, meta: {pii: none}}"));
        assertThat(CommandRun.of("dbt", "build", "-q", "--project-dir", project.toString()).exitCode()).isZero();

        CommandRun check = privacy();

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).containsPattern("marts\\.marts_users\\.full_name +direct +a column of that name is"
                        + " classified pii: direct in model stg_users, upstream of this mart")
                .containsPattern("marts\\.marts_users\\.note +unclassified +the column is not declared in"
                        + " models/properties.yml \\(model marts_users\\)");
        assertThat(check.err()).contains("3 problem(s) in 2 column(s) of schema marts: marts.marts_users.full_name,"
                + " marts.marts_users.note.");
    }

    @Test
    void anotherFileIsCheckedWithPath() throws SQLException {
        Path bi = project.resolve("bi.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi)) {
            connection.createStatement().execute("create schema bi");
            // A file named like its schema: its tables are read by their full name (bi.bi.marts_users).
            connection.createStatement().execute("create table bi.bi.marts_users as select 1 as accounts");
            connection.createStatement().execute("create table bi.bi.extra as select 'Jean Dupont' as who");
        }

        CommandRun check = privacy("--path", bi.toString(), "--schema", "bi");

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("Privacy check of schema bi in " + bi + " (dbt project little): 2 table(s),"
                + " 2 column(s).").containsPattern("bi\\.extra\\.who +unclassified +the table is no model")
                .containsPattern("bi\\.extra\\.who +personal-values +1 of 1 sampled values")
                .doesNotContain("bi.marts_users.accounts");
    }

    @Test
    void wrongInputExitsWithTwo() {
        CommandRun noSchema = privacy("--schema", "publish");
        assertThat(noSchema.exitCode()).isEqualTo(2);
        assertThat(noSchema.err()).contains("error: There is no schema publish in the warehouse to check.")
                .contains("hint: Build the marts first");

        CommandRun noFile = privacy("--path", project.resolve("missing.duckdb").toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("error: There is no warehouse at " + project.resolve("missing.duckdb"));

        CommandRun noProject = CommandRun.of("privacy", "check", "--project-dir", project.resolve("nowhere").toString());
        assertThat(noProject.exitCode()).isEqualTo(2);
        assertThat(noProject.err()).contains("error: There is no dbt project (dbt_project.yml) in");
    }
}
