package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken projects: each error names the file, the line when there is one, and the node. */
class ProjectErrorsTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void minimalProject() throws IOException {
        write("dbt_project.yml", "name: tiny\nprofile: tiny\n");
        write("profiles.yml", "tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: tiny.duckdb\n");
    }

    private DbtEngine load() {
        return DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(line -> { }));
    }

    @Test
    void aCycleIsReportedWithItsPath() throws IOException {
        minimalProject();
        write("models/a.sql", "select * from {{ ref('b') }}");
        write("models/b.sql", "select * from {{ ref('c') }}");
        write("models/c.sql", "select * from {{ ref('a') }}");
        assertThatThrownBy(this::load).isInstanceOf(DbtException.class)
                .hasMessageContaining("Found a cycle: model.tiny.a --> model.tiny.b --> model.tiny.c --> model.tiny.a")
                .satisfies(e -> assertThat(((EntrepotException) e).exitCode()).isEqualTo(2));
    }

    @Test
    void aMissingRefNamesTheModelAndItsFile() throws IOException {
        minimalProject();
        write("models/orders.sql", "select * from {{ ref('customer') }}");
        write("models/customers.sql", "select 1 as id");
        assertThatThrownBy(this::load).hasMessageContaining("Model 'orders' (models/orders.sql)")
                .hasMessageContaining("'customer'").satisfies(e ->
                        assertThat(((EntrepotException) e).hint()).contains("customers"));
    }

    @Test
    void aMissingSourceNamesTheModel() throws IOException {
        minimalProject();
        write("models/orders.sql", "select * from {{ source('raw', 'orders') }}");
        assertThatThrownBy(this::load).hasMessageContaining("models/orders.sql").hasMessageContaining("raw.orders");
    }

    @Test
    void aJinjaSyntaxErrorNamesTheFileAndLine() throws IOException {
        minimalProject();
        write("models/ok.sql", "select 1 as id");
        write("models/broken.sql", "select\n    id,\n    {% if true %} name\nfrom {{ ref('ok') }}\n");
        assertThatThrownBy(this::load).isInstanceOf(DbtException.class)
                .hasMessageContaining("Compilation Error in model tiny.broken (models/broken.sql), line 3");
    }

    @Test
    void anUndefinedMacroAndARaisedCompilerErrorNameTheFile() throws IOException {
        minimalProject();
        // Raised while parsing: the project does not load.
        write("macros/guard.sql", "{% macro guard(x) %}{% if x < 0 %}{{ exceptions.raise_compiler_error("
                + "'guard: ' ~ x ~ ' is negative') }}{% endif %}{{ x }}{% endmacro %}\n");
        write("models/negative.sql", "{{ config(materialized='table') }}\nselect {{ guard(-1) }} as x\n");
        assertThatThrownBy(this::load).hasMessageContaining(
                "Compilation Error in model tiny.negative (models/negative.sql), line 1: guard: -1 is negative");
        // Raised only when executing: the run reports it on the node, the others go on.
        write("macros/guard.sql", "{% macro guard(x) %}{% if execute and x < 0 %}{{ exceptions.raise_compiler_error("
                + "'guard: ' ~ x ~ ' is negative') }}{% endif %}{{ x }}{% endmacro %}\n");
        try (DbtEngine dbt = load()) {
            DbtEngine.CommandResult result = dbt.run(Selection.ALL);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.result("negative").message()).contains("models/negative.sql")
                    .contains("guard: -1 is negative");
        }
        write("models/negative.sql", "select {{ no_such_macro(1) }} as x\n");
        assertThatThrownBy(this::load).hasMessageContaining("models/negative.sql").hasMessageContaining("no_such_macro");
    }

    @Test
    void aMissingEnvVarOrVarIsAClearError() throws IOException {
        minimalProject();
        write("models/a.sql", "select '{{ env_var('SHOP_REGION') }}' as region");
        assertThatThrownBy(this::load).hasMessageContaining("models/a.sql").hasMessageContaining("SHOP_REGION");
        write("models/a.sql", "select '{{ var('region') }}' as region");
        try (DbtEngine dbt = load()) {
            DbtEngine.CommandResult result = dbt.run(Selection.ALL);
            assertThat(result.result("a").message()).contains("models/a.sql").contains("region");
        } catch (DbtException e) {
            assertThat(e).hasMessageContaining("models/a.sql").hasMessageContaining("region");
        }
        write("models/a.sql", "select '{{ env_var('SHOP_REGION', 'north') }}' as region,"
                + " '{{ var('region', 'none') }}' as r");
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of("SHOP_REGION", "west"))
                .withVars(Map.of("region", "r7")).withConsole(line -> { }))) {
            assertThat(dbt.show(Selection.of("a"), null, 1).getRows()).containsExactly(java.util.List.of("west", "r7"));
        }
    }

    @Test
    void badYamlNamesTheFileAndLine() throws IOException {
        minimalProject();
        write("models/schema.yml", "version: 2\nmodels:\n  - name: a\n    description: [unclosed\n");
        write("models/a.sql", "select 1");
        assertThatThrownBy(this::load).hasMessageContaining("models/schema.yml").hasMessageContaining("line");
    }

    @Test
    void anUnknownTargetListsTheProfilesTargets() throws IOException {
        minimalProject();
        assertThatThrownBy(() -> DbtEngine.load(DbtEngine.Options.of(project).withTarget("prod")
                .withEnvironment(Map.of()).withConsole(line -> { })))
                .hasMessageContaining("Target 'prod'").satisfies(e ->
                        assertThat(((EntrepotException) e).hint()).contains("dev"));
    }

    @Test
    void aProjectWithoutDbtProjectYmlSaysWhereItLooked() {
        assertThatThrownBy(this::load).hasMessageContaining("No dbt_project.yml in " + project.toAbsolutePath());
    }

    @Test
    void aModelFailingAtRunTimeLeavesItsSiblingsBuilt() throws IOException {
        minimalProject();
        write("models/good.sql", "{{ config(materialized='table') }}\nselect 1 as id");
        write("models/bad.sql", "{{ config(materialized='table') }}\nselect 1 / 'x'::integer as id");
        write("models/after_bad.sql", "select * from {{ ref('bad') }}");
        try (DbtEngine dbt = load()) {
            DbtEngine.CommandResult result = dbt.run(Selection.ALL);
            assertThat(result.result("good").status()).isEqualTo(NodeResult.Status.SUCCESS);
            assertThat(result.result("bad").status()).isEqualTo(NodeResult.Status.ERROR);
            assertThat(result.result("bad").message()).startsWith("Database Error in model tiny.bad (models/bad.sql)")
                    .contains("Conversion Error");
            assertThat(result.result("after_bad").status()).isEqualTo(NodeResult.Status.SKIPPED);
        }
    }
}
