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

/** The privacy check on a small dbt project ({@link LittleProject}) built in a real DuckDB file. */
class PrivacyCheckTest {

    @TempDir
    Path project;

    private Manifest manifest;

    @BeforeEach
    void buildASmallProject() throws IOException {
        manifest = LittleProject.build(project);
    }

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
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
    void listsOfTextAreReadValueByValueAndLargeColumnsAreSampled() throws SQLException {
        try (Connection connection = warehouse()) {
            connection.createStatement().execute("create table marts.hand_lists as select"
                    + " ['Jean Dupont', 'Durand Marie', null] as owner_names, 'user' || i || '@example.fr' as login,"
                    + " 'a' || i as label from range(20000) t(i)");

            List<Finding> findings = PrivacyCheck.of(manifest).checkTable(connection, "marts", "hand_lists");

            assertThat(findings).filteredOn(finding -> finding.rule() == Finding.Rule.PERSONAL_VALUES)
                    .extracting(Finding::toString).containsExactly(
                            "marts.hand_lists.owner_names (personal-values): 10,000 of 10,000 sampled values (100%)"
                                    + " look like personal data: 10,000 people's names (flagged from 20%)",
                            "marts.hand_lists.login (personal-values): 10,000 of 10,000 sampled values (100%) look"
                                    + " like personal data: 10,000 e-mail addresses (flagged from 20%)");
        }
    }

    @Test
    void aFewPersonalLookingValuesInALabelColumnAreBelowTheThreshold() throws SQLException {
        try (Connection connection = warehouse()) {
            // 19% of the values look like names (a street named after someone...): not flagged; 20% is.
            connection.createStatement().execute("create table marts.labels as select"
                    + " case when i < 19 then 'Victor Hugo' else 'Logement vacant' end as below,"
                    + " case when i < 20 then 'Victor Hugo' else 'Logement vacant' end as at from range(100) t(i)");

            assertThat(PrivacyCheck.of(manifest).checkTable(connection, "marts", "labels"))
                    .filteredOn(finding -> finding.rule() == Finding.Rule.PERSONAL_VALUES)
                    .extracting(Finding::column).containsExactly("at");
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
