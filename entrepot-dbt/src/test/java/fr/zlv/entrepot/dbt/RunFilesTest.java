package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/run keeps what each node sent, except the secrets its hooks hand to DuckDB. */
class RunFilesTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aSecretSetAsAVariableIsUsedButNotWrittenInTargetRun() throws IOException {
        write("dbt_project.yml", "name: secrets\nprofile: secrets\n");
        write("profiles.yml", "secrets:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: s.duckdb\n");
        write("models/signed.sql", """
                {{ config(materialized='table',
                          pre_hook="set variable signing_key = '{{ env_var('SIGNING_KEY') }}'",
                          post_hook="reset variable signing_key") }}
                select length(getvariable('signing_key')) as key_length, 'it''s kept' as quoted
                """);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project)
                .withEnvironment(Map.of("SIGNING_KEY", "s3cr3t-value")).withConsole(line -> { }))) {
            assertThat(dbt.run(Selection.ALL).succeeded()).isTrue();
            assertThat(dbt.adapter().query("select key_length, quoted from signed").getRows().get(0))
                    .containsExactly(12L, "it's kept");
        }
        String run = Files.readString(project.resolve("target/run/secrets/models/signed.sql"));
        assertThat(run).doesNotContain("s3cr3t").contains("set variable signing_key = '***'")
                .contains("'it''s kept'");
    }
}
