package fr.zlv.entrepot.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.semantic.graphql.CubeResolvers;
import fr.zlv.entrepot.semantic.graphql.SchemaFactory;
import graphql.schema.idl.SchemaPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The programme's own warehouse/semantic.yml and access.yml: they validate against the dbt project's marts (names
 * and personal-data classification) and make a GraphQL schema; and, when a BI file built by {@code bin/entrepot
 * demo} is there ({@code ENTREPOT_TEST_BI_FILE}, else the demo's default workspace), they serve it.
 */
class ShippedModelTest {

    private static final Path WAREHOUSE = Path.of("..", "warehouse").toAbsolutePath().normalize();

    private static Semantic.Validation validateAgainstDbt() {
        return Semantic.validate(WAREHOUSE.resolve("semantic.yml"), WAREHOUSE.resolve("access.yml"),
                WAREHOUSE.resolve("dbt"), WAREHOUSE.resolve("publish.yml"), null);
    }

    @Test
    void theShippedModelValidatesAgainstTheDbtProjectsMarts() {
        Semantic.Validation validation = validateAgainstDbt();
        assertThat(validation.model().cubes()).containsKeys("housing", "campaigns", "establishments", "monthly_kpis",
                "territories", "vacancy", "commune_vacancy", "activity");
        assertThat(validation.policy().roles()).containsKeys("admin", "analyst", "territory", "partner");
        assertThat(validation.policy().roles().get("territory").territorial()).isTrue();
        assertThat(validation.policy().roles().get("admin").auditLog()).isTrue();
        assertThat(validation.measures()).isGreaterThan(50);
    }

    @Test
    void theShippedModelMakesTheDocumentedSchema() {
        String schema = new SchemaPrinter().print(SchemaFactory.build(validateAgainstDbt().model(), new CubeResolvers()));
        assertThat(schema).contains(
                "housing(",
                "measures: [HousingMeasure!]!",
                "dimensions: [HousingDimensionInput!]",
                "filters: [HousingFilter!]",
                "timeRange: HousingTimeRange",
                "segments: [HousingSegment!]",
                "orderBy: [HousingOrderBy!]",
                "): HousingResult",
                "campaigns(",
                "monthly_kpis(",
                "type HousingRow",
                "vacancy_rate: Float",
                "territory: Territory",
                "commune__zone_abc: String",
                "cubes: [CubeInfo!]!");
    }

    /** The BI file of {@code bin/entrepot demo}, when one was built on this machine. */
    private static Path demoBiFile() {
        String given = System.getenv("ENTREPOT_TEST_BI_FILE");
        Path file = given != null && !given.isBlank() ? Path.of(given)
                : WAREHOUSE.resolve("data/demo/bi/entrepot-bi.duckdb");
        assumeTrue(Files.isRegularFile(file), "no demo BI file at " + file + " (run bin/entrepot demo, or set"
                + " ENTREPOT_TEST_BI_FILE)");
        return file;
    }

    @Test
    void theShippedModelServesTheDemosBiFile() throws Exception {
        Path bi = demoBiFile();
        Semantic.Validation validation = Semantic.validate(WAREHOUSE.resolve("semantic.yml"),
                WAREHOUSE.resolve("access.yml"), WAREHOUSE.resolve("dbt"), WAREHOUSE.resolve("publish.yml"), bi);
        assertThat(validation.checkedAgainst()).contains(bi.toString());

        Map<String, Long> expected = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", new Properties());
             Statement statement = connection.createStatement()) {
            statement.execute("ATTACH '" + bi + "' AS demo (READ_ONLY)");
            try (ResultSet rows = statement.executeQuery("SELECT department_code || '/' || lovac_year, count(*)"
                    + " FROM demo.analysis_housing_out GROUP BY ALL")) {
                while (rows.next()) {
                    expected.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        try (SemanticApi api = Semantic.open(WAREHOUSE.resolve("semantic.yml"), WAREHOUSE.resolve("access.yml"),
                WAREHOUSE.resolve("dbt"), WAREHOUSE.resolve("publish.yml"), bi, SemanticOptions.defaults())) {
            Principal analyst = new Principal("test", "analyst", Map.of());
            GraphQlResponse byDepartementAndYear = api.execute(new GraphQlRequest("""
                    { vacancy(measures: [vacant_count, exit_rate],
                              dimensions: [{dimension: territory, level: DEPARTEMENT}, {dimension: lovac_year}],
                              limit: 10000) {
                        rows { territory { code } lovac_year vacant_count exit_rate } hasMore } }""", null, null),
                    analyst);
            List<Map<String, Object>> rows = BiFixture.rows(byDepartementAndYear, "vacancy");
            assertThat(rows).hasSize(expected.size());
            for (Map<String, Object> row : rows) {
                String key = ((Map<?, ?>) row.get("territory")).get("code") + "/" + row.get("lovac_year");
                assertThat(row.get("vacant_count")).as(key).isEqualTo(expected.get(key));
            }

            GraphQlResponse returnRates = api.execute(new GraphQlRequest("""
                    { campaigns(measures: [sent_count, return_rate], dimensions: [{dimension: establishment}],
                                orderBy: [{field: return_rate, direction: DESC}], limit: 5) {
                        rows { establishment sent_count return_rate } } }""", null, null), analyst);
            assertThat(BiFixture.rows(returnRates, "campaigns")).isNotEmpty().allSatisfy(row ->
                    assertThat((Double) row.get("return_rate")).isBetween(0.0, 1.0));

            GraphQlResponse partner = api.execute(new GraphQlRequest("""
                    { housing(measures: [count]) { rows { count } } }""", null, null),
                    new Principal("p", "partner", Map.of()));
            assertThat(partner.httpStatus()).isEqualTo(403);
        }
    }
}
