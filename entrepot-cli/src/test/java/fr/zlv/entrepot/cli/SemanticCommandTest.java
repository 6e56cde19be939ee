package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrepot semantic validate|query} on the shipped files and on a small BI file. */
class SemanticCommandTest {

    @TempDir
    Path dir;

    @Test
    void validateChecksTheShippedFilesAgainstTheDbtProject() {
        CommandRun run = CommandRun.of("--config", "../warehouse/entrepot.yml", "semantic", "validate",
                "--bi", dir.resolve("none.duckdb").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("are valid: 8 cubes", "roles (admin, operator, analyst, territory, partner)",
                "Checked against the columns declared in the dbt project", "monthly_kpis", "national");
    }

    @Test
    void validateNamesTheFileAndLineOfAMistake() throws Exception {
        Path semantic = dir.resolve("semantic.yml");
        Files.writeString(semantic, Files.readString(Path.of("..", "warehouse", "semantic.yml"))
                .replace("column: status_label", "column: statu_label"));
        CommandRun run = CommandRun.of("--config", "../warehouse/entrepot.yml", "semantic", "validate",
                "--semantic", semantic.toString(), "--bi", dir.resolve("none.duckdb").toString());
        int line = Files.readAllLines(semantic).indexOf("        column: statu_label") + 1;
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(semantic + ", line " + line, "unknown column 'statu_label'",
                "did you mean 'status_label'");
    }

    @Test
    void queryAnswersAsTheRoleGiven() throws Exception {
        Path bi = dir.resolve("bi.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE housing AS SELECT * FROM (VALUES ('75', true), ('75', false), ('33', true))"
                    + " AS t(department_code, is_vacant)");
        }
        Files.writeString(dir.resolve("semantic.yml"), """
                cubes:
                  housing:
                    table: housing
                    description: "Logements (housings)."
                    geography: {departement: department_code}
                    measures:
                      vacant:
                        type: count
                        description: "Vacants (vacant)."
                        filter: [{column: is_vacant, equals: true}]
                    dimensions:
                      departement:
                        description: "Département."
                        column: department_code
                """);
        Files.writeString(dir.resolve("access.yml"), """
                roles:
                  analyst: {grants: [{cubes: ["*"]}]}
                  territory: {territorial: true, grants: [{cubes: [housing]}]}
                """);
        String[] files = {"--semantic", dir.resolve("semantic.yml").toString(), "--access",
                dir.resolve("access.yml").toString(), "--bi", bi.toString()};

        CommandRun national = CommandRun.of(concat(new String[] {"semantic", "query"}, files,
                new String[] {"{ housing(measures: [vacant]) { rows { vacant } } }"}));
        assertThat(national.exitCode()).as(national.err()).isZero();
        assertThat(national.out().replaceAll("\\s", "")).contains("\"rows\":[{\"vacant\":2}]");

        CommandRun territorial = CommandRun.of(concat(new String[] {"semantic", "query", "--role", "territory",
                "--territory", "departement=33"}, files, new String[] {"{ housing(measures: [vacant]) { rows { vacant } } }"}));
        assertThat(territorial.exitCode()).as(territorial.err()).isZero();
        assertThat(territorial.out().replaceAll("\\s", "")).contains("\"rows\":[{\"vacant\":1}]");

        CommandRun nowhere = CommandRun.of(concat(new String[] {"semantic", "query", "--role", "territory"}, files,
                new String[] {"{ housing(measures: [vacant]) { rows { vacant } } }"}));
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.out()).contains("FORBIDDEN", "no territory");
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
