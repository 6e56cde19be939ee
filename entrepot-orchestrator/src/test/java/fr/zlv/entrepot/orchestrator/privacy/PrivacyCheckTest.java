package fr.zlv.entrepot.orchestrator.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.graph.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy check on a small dbt project built in a real DuckDB file: a staging layer with direct personal data,
 * and marts that break each rule once, beside a clean one.
 */
class PrivacyCheckTest {

    @TempDir
    Path project;

    private Manifest manifest;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void buildASmallProject() throws IOException {
        write("dbt_project.yml", """
                name: little
                profile: little
                models:
                  little:
                    staging: {+schema: stg, +materialized: view}
                    marts: {+schema: marts, +materialized: table}
                """);
        write("profiles.yml", """
                little:
                  target: dev
                  outputs:
                    dev: {type: duckdb, path: little.duckdb, threads: 1}
                """);
        write("macros/generate_schema_name.sql", """
                {% macro generate_schema_name(custom_schema_name, node) -%}
                  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
                {%- endmacro %}
                """);
        write("models/staging/stg_owners.sql", """
                select * from (values
                  (1, 'Jean Dupont', 'jean.dupont@example.fr', '06 12 34 56 78', 'Paris'),
                  (2, 'Marie Durand', 'marie.durand@example.fr', '+33 7 98 76 54 32', 'Lyon'),
                  (3, 'Hélène Martin', null, null, 'Lille')) as t(owner_id, full_name, email, phone, city)
                """);
        write("models/staging/_staging.yml", """
                version: 2
                models:
                  - name: stg_owners
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: full_name, meta: {pii: direct}}
                      - {name: email, meta: {pii: direct}}
                      - {name: phone, meta: {pii: direct}}
                      - {name: city, meta: {pii: none}}
                """);
        // (a) e-mail addresses under a harmless name, classified none.
        write("models/marts/marts_contacts.sql", "select owner_id, email as contact from {{ ref('stg_owners') }}");
        // (b) a column classified direct, and one that keeps the name of a direct staging column.
        write("models/marts/marts_owners_direct.sql",
                "select owner_id, full_name, city as phone from {{ ref('stg_owners') }}");
        // (c) a public mart with an indirect column.
        write("models/marts/marts_public_cities.sql",
                "select city, min(owner_id) as first_owner_id, count(*) as owners from {{ ref('stg_owners') }} group by city");
        // (d) a column nobody classified.
        write("models/marts/marts_unclassified.sql",
                "select city, count(*) as owners, 'x' as mystery from {{ ref('stg_owners') }} group by city");
        // (e) clean: a pseudonym (hex HMAC), counts; an email pseudonymised under its own name.
        write("models/marts/marts_clean.sql", """
                select sha256('key' || owner_id::varchar) as owner_key, hmac_of_email as email, city, 1 as owners
                from (select *, sha256('key' || coalesce(email, '')) as hmac_of_email from {{ ref('stg_owners') }})
                """);
        write("models/marts/_marts.yml", """
                version: 2
                models:
                  - name: marts_contacts
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: contact, meta: {pii: none}}
                  - name: marts_owners_direct
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: full_name, meta: {pii: direct}}
                      - {name: phone, meta: {pii: none}}
                  - name: marts_public_cities
                    meta: {public: true}
                    columns:
                      - {name: city, meta: {pii: none}}
                      - {name: first_owner_id, meta: {pii: indirect}}
                      - {name: owners, meta: {pii: none}}
                  - name: marts_unclassified
                    columns:
                      - {name: city, meta: {pii: none}}
                      - name: owners
                      - {name: mystery, meta: {pii: secret}}
                  - name: marts_clean
                    meta: {public: true}
                    columns:
                      - {name: owner_key, meta: {pii: none}}
                      - {name: email, meta: {pii: none, pseudonymised: true}}
                      - {name: city, config: {meta: {pii: none}}}
                      - {name: owners, meta: {pii: none}}
                """);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withConsole(line -> { }))) {
            DbtEngine.CommandResult build = dbt.build(DbtEngine.Selection.ALL);
            assertThat(build.succeeded()).as(build.results().toString()).isTrue();
            manifest = dbt.project().manifest();
        }
    }

    private Connection warehouse() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + project.resolve("little.duckdb"));
    }

    private List<Finding> findings(String table) throws SQLException {
        try (Connection connection = warehouse()) {
            return PrivacyCheck.of(manifest).checkTable(connection, "marts", table);
        }
    }

    @Test
    void aColumnOfEmailAddressesFailsWhateverItsClassification() throws SQLException {
        assertThat(findings("marts_contacts")).singleElement().satisfies(finding -> {
            assertThat(finding.qualifiedColumn()).isEqualTo("marts.marts_contacts.contact");
            assertThat(finding.rule()).isEqualTo(Finding.Rule.PERSONAL_VALUES);
            assertThat(finding.detail()).isEqualTo("2 of 2 sampled values (100%) look like personal data:"
                    + " 2 e-mail addresses (flagged from 20%)");
        });
    }

    @Test
    void aDirectColumnFailsInTheMartOrUnderTheNameOfADirectColumnUpstream() throws SQLException {
        List<Finding> findings = findings("marts_owners_direct");

        assertThat(findings).extracting(Finding::toString).containsExactly(
                "marts.marts_owners_direct.full_name (direct): the column is classified pii: direct in"
                        + " models/marts/_marts.yml",
                "marts.marts_owners_direct.full_name (personal-values): 3 of 3 sampled values (100%) look like"
                        + " personal data: 3 people's names (flagged from 20%)",
                "marts.marts_owners_direct.phone (direct): a column of that name is classified pii: direct in"
                        + " model stg_owners, upstream of this mart");
    }

    @Test
    void aPublicMartWithAnIndirectColumnFails() throws SQLException {
        assertThat(findings("marts_public_cities")).extracting(Finding::toString).containsExactly(
                "marts.marts_public_cities.first_owner_id (indirect-in-public): the column is classified pii:"
                        + " indirect and the mart is public (meta: {public: true})");
    }

    @Test
    void anUnclassifiedColumnFails() throws SQLException {
        assertThat(findings("marts_unclassified")).extracting(Finding::toString).containsExactly(
                "marts.marts_unclassified.owners (unclassified): the column has no meta pii in models/marts/_marts.yml",
                "marts.marts_unclassified.mystery (unclassified): meta pii is 'secret' in models/marts/_marts.yml,"
                        + " not direct, indirect or none");
    }

    @Test
    void aCleanMartWithPseudonymsAndCountsPasses() throws SQLException {
        assertThat(findings("marts_clean")).isEmpty();
    }

    @Test
    void aPseudonymisedColumnMustHoldPseudonyms() throws IOException, SQLException {
        write("models/marts/marts_clean.sql",
                "select owner_id::varchar as owner_key, email, city, 1 as owners from {{ ref('stg_owners') }}");
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withConsole(line -> { }))) {
            assertThat(dbt.build(DbtEngine.Selection.of("marts_clean")).succeeded()).isTrue();
        }

        assertThat(findings("marts_clean")).extracting(Finding::toString).containsExactly(
                "marts.marts_clean.email (direct): a column of that name is classified pii: direct in model stg_owners;"
                        + " the mart says it is pseudonymised, but 2 of 2 sampled values are not pseudonyms"
                        + " (64 hexadecimal digits)",
                "marts.marts_clean.email (personal-values): 2 of 2 sampled values (100%) look like personal data:"
                        + " 2 e-mail addresses (flagged from 20%)");
    }

    @Test
    void theWholeSchemaAndATableOutsideTheProject() throws SQLException {
        try (Connection connection = warehouse()) {
            connection.createStatement().execute("create table marts.hand_made as select 'Jean Dupont' as who");
            PrivacyCheck.Report report = PrivacyCheck.of(manifest).check(connection, "marts");

            assertThat(report.passed()).isFalse();
            assertThat(report.tables()).isEqualTo(6);
            assertThat(report.project()).isEqualTo("little");
            assertThat(report.findings()).extracting(Finding::table).doesNotContain("marts.marts_clean")
                    .contains("marts.marts_contacts", "marts.marts_owners_direct", "marts.marts_public_cities",
                            "marts.marts_unclassified", "marts.hand_made");
            assertThat(report.findings()).filteredOn(finding -> finding.table().equals("marts.hand_made"))
                    .extracting(Finding::toString).containsExactly(
                            "marts.hand_made.who (unclassified): the table is no model of the dbt project little, so none"
                                    + " of its columns is classified",
                            "marts.hand_made.who (personal-values): 1 of 1 sampled values (100%) look like personal"
                                    + " data: 1 people's names (flagged from 20%)");
            // Staging is not checked: its direct columns are allowed there.
            assertThat(report.findings()).noneMatch(finding -> finding.table().startsWith("stg."));
        }
    }

    @Test
    void aCopyOfTheMartsInAnotherFileIsCheckedByTableName() throws SQLException {
        Path bi = project.resolve("bi.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi)) {
            connection.createStatement().execute("attach '" + project.resolve("little.duckdb") + "' as live (read_only)");
            connection.createStatement().execute("create table main.marts_public_cities as"
                    + " select * from live.marts.marts_public_cities");
            connection.createStatement().execute("create table main.marts_clean as select * from live.marts.marts_clean");
            connection.createStatement().execute("detach live");

            PrivacyCheck.Report report = PrivacyCheck.of(manifest).check(connection, "main");

            assertThat(report.findings()).extracting(Finding::qualifiedColumn)
                    .containsExactly("main.marts_public_cities.first_owner_id");
        }
    }

    @Test
    void aMissingSchemaIsBadInput() throws SQLException {
        try (Connection connection = warehouse()) {
            assertThatThrownBy(() -> PrivacyCheck.of(manifest).check(connection, "publish"))
                    .isInstanceOf(EntrepotException.class).hasMessage("There is no schema publish in the warehouse to check.")
                    .satisfies(e -> assertThat(((EntrepotException) e).exitCode()).isEqualTo(2));
        }
    }
}
