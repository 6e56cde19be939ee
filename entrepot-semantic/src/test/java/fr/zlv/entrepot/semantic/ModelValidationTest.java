package fr.zlv.entrepot.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of semantic.yml and access.yml at start: each problem names the file, the line and the key. The files
 * are the fixture's, with one mistake written in.
 */
class ModelValidationTest {

    @TempDir
    static Path dir;
    static BiFixture fixture;

    @BeforeAll
    static void create() throws Exception {
        fixture = BiFixture.create(dir);
    }

    @Test
    void theFixtureValidatesAgainstTheBiFileAndAgainstTheDbtProject() {
        Semantic.Validation withFile = Semantic.validate(fixture.semantic, fixture.access, fixture.dbt,
                fixture.publish, fixture.bi);
        assertThat(withFile.model().cubes()).hasSize(5);
        assertThat(withFile.checkedAgainst()).contains("BI file");
        Semantic.Validation withDbt = Semantic.validate(fixture.semantic, fixture.access, fixture.dbt, fixture.publish,
                null);
        assertThat(withDbt.checkedAgainst()).contains("dbt project");
        assertThat(withDbt.policy().roles()).containsOnlyKeys("admin", "analyst", "territory", "partner");
    }

    /** Writes the fixture's semantic.yml with {@code from} replaced by {@code to}, and returns its path. */
    private static Path semanticWith(String name, String from, String to) throws IOException {
        assertThat(BiFixture.SEMANTIC).contains(from);
        Path file = dir.resolve(name + ".semantic.yml");
        Files.writeString(file, BiFixture.SEMANTIC.replace(from, to));
        return file;
    }

    private static Path accessWith(String name, String from, String to) throws IOException {
        assertThat(BiFixture.ACCESS).contains(from);
        Path file = dir.resolve(name + ".access.yml");
        Files.writeString(file, BiFixture.ACCESS.replace(from, to));
        return file;
    }

    /** The 1-based line of the first line of {@code file} containing {@code text}. */
    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private static String semanticError(Path semantic) {
        return error(semantic, fixture.access);
    }

    private static String error(Path semantic, Path access) {
        try {
            Semantic.validate(semantic, access, fixture.dbt, fixture.publish, fixture.bi);
        } catch (EntrepotException e) {
            assertThat(e.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
            return e.getMessage();
        }
        throw new AssertionError("no error for " + semantic);
    }

    @Test
    void anUnknownColumnIsNamedWithItsFileLineAndASuggestion() throws IOException {
        Path file = semanticWith("column", "column: status_label", "column: status_lable");
        assertThat(semanticError(file)).contains(file + ", line " + lineOf(file, "status_lable"),
                "cubes.housing.dimensions.status.column", "unknown column 'status_lable'",
                "did you mean 'status_label'");
    }

    @Test
    void anUnknownCubeInAJoinIsNamed() throws IOException {
        Path file = semanticWith("join", "cube: communes", "cube: comunes");
        assertThat(semanticError(file)).contains(file + ", line " + lineOf(file, "cube: comunes"),
                "cubes.housing.joins.commune.cube", "unknown cube 'comunes' in a join", "did you mean 'communes'");
    }

    @Test
    void aBadGrainIsNamed() throws IOException {
        Path file = semanticWith("grain", "grains: [month, year]", "grains: [month, fortnight]");
        assertThat(semanticError(file)).contains(file + ", line " + lineOf(file, "fortnight"),
                "cubes.housing.dimensions.created_on.grains[1]", "bad grain 'fortnight'");
    }

    @Test
    void aTimeDimensionOverTextIsRefused() throws IOException {
        Path file = semanticWith("time", "        column: created_on\n        grains: [month, year]",
                "        column: status_label\n        grains: [month, year]");
        assertThat(semanticError(file)).contains("a time dimension needs a date or timestamp column",
                "'status_label' is string");
    }

    @Test
    void aMeasureAndADimensionOfTheSameNameAreDuplicates() throws IOException {
        Path file = semanticWith("duplicate", "      status:\n        description: \"Statut (status).\"",
                "      count:\n        description: \"Statut (status).\"");
        int dimension = lineOf(file, "description: \"Statut (status).\"") - 1;
        assertThat(semanticError(file)).contains(file + ", line " + dimension, "cubes.housing.dimensions.count",
                "duplicate name: 'count' is already a measure");
    }

    @Test
    void aKeyWrittenTwiceIsADuplicate() throws IOException {
        Path file = semanticWith("twice", "      vacant_count:\n        type: count",
                "      count:\n        type: count");
        String message = assertThatThrownBy(() -> Semantic.validate(file, fixture.access, fixture.dbt, fixture.publish,
                fixture.bi)).isInstanceOf(EntrepotException.class).actual().getMessage();
        List<String> lines = Files.readAllLines(file);
        int second = lines.subList(lines.indexOf("      count:") + 1, lines.size()).indexOf("      count:")
                + lines.indexOf("      count:") + 2;
        assertThat(message).contains(file + ", line " + second, "key 'cubes.housing.measures.count' appears twice");
    }

    @Test
    void aDimensionOverPersonalDataIsRefused() throws IOException {
        Path file = semanticWith("pii", "column: status_label", "column: owner_name");
        assertThat(semanticError(file)).contains(file + ", line " + lineOf(file, "column: owner_name"),
                "cubes.housing.dimensions.status.column", "'owner_name' is classified pii: direct",
                "marts_housing", "_marts.yml", "refused");
        Path indirect = semanticWith("indirect", "column: status_label", "column: housing_id");
        assertThat(semanticError(indirect)).contains("'housing_id' is classified pii: indirect");
    }

    @Test
    void aPseudonymisedColumnMayBeADimension() throws IOException {
        Path file = semanticWith("pseudonym", "column: status_label", "column: owner_key");
        Semantic.Validation validation = Semantic.validate(file, fixture.access, fixture.dbt, fixture.publish,
                fixture.bi);
        assertThat(validation.model().cubes().get("housing").dimensions().get("status").column()).isEqualTo("owner_key");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path file = semanticWith("many", "column: status_label", "column: nope");
        Files.writeString(file, Files.readString(file).replace("type: avg", "type: mean")
                .replace("denominator: count", "denominator: total"));
        String message = semanticError(file);
        assertThat(message).contains("(3):", "unknown column 'nope'", "unknown measure type 'mean'",
                "no measure 'total' in this cube");
    }

    @Test
    void accessPatternsThatMatchNothingAreTypos() throws IOException {
        Path access = accessWith("measure", "measures: [count, vacant_*]", "measures: [count, vacnt_*]");
        assertThat(error(fixture.semantic, access)).contains(access + ", line " + lineOf(access, "vacnt_*"),
                "'vacnt_*' matches no measure");
        Path cube = accessWith("cube", "cubes: [kpis]", "cubes: [kpi]");
        assertThat(error(fixture.semantic, cube)).contains("'kpi' matches no cube", "did you mean 'kpis'");
    }

    @Test
    void aTerritorialRoleMayNotBeGrantedACubeWithoutGeography() throws IOException {
        Path semantic = semanticWith("nogeo",
                "    geography: {departement: department_code, commune: commune_code}\n", "");
        String message = error(semantic, fixture.access);
        assertThat(message).contains(fixture.access.toString(), "territorial but cube communes has no geography");
    }

    @Test
    void aMissingBiFileAndNoDbtProjectIsExplained() {
        assertThatThrownBy(() -> Semantic.validate(fixture.semantic, fixture.access, null, null,
                dir.resolve("absent.duckdb")))
                .isInstanceOf(EntrepotException.class).hasMessageContaining("no BI file");
    }
}
