package fr.zlv.entrepot.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboards' YAML: the shipped files agree with the semantic model; a mistake is named by file, line and key. */
class DashboardsTest {

    private static final Path WAREHOUSE = WebUiServer.WAREHOUSE;
    private static Model model;

    @TempDir
    Path directory;

    @BeforeAll
    static void theProgrammesModel() {
        // Checked against the dbt project's mart columns: no BI file is needed.
        model = Semantic.validate(WAREHOUSE.resolve("semantic.yml"), WAREHOUSE.resolve("access.yml"),
                WAREHOUSE.resolve("dbt"), WAREHOUSE.resolve("publish.yml"), null).model();
    }

    private Path write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private EntrepotException refused(String yaml) throws IOException {
        write("board.yml", yaml);
        try {
            Dashboards.load(directory, Dashboards.of(model));
        } catch (EntrepotException e) {
            return e;
        }
        throw new AssertionError("the dashboard was accepted:\n" + yaml);
    }

    private static final String HEAD = """
            title: {fr: Tableau, en: Board}
            filters:
              territory: {dimension: territory}
            charts:
            """;

    @Test
    void theShippedDashboardsAgreeWithTheSemanticModel() throws WebError {
        Dashboards dashboards = Dashboards.load(WAREHOUSE.resolve("dashboards"), Dashboards.of(model));
        assertThat(dashboards.list()).extracting(d -> d.get("id")).containsExactly("housing_overview",
                "campaign_impact", "territorial_analysis", "monthly_kpis");
        Map<String, Object> campaigns = dashboards.get("campaign_impact");
        assertThat(campaigns.get("filters")).isEqualTo(Map.of("territory", Map.of("dimension", "territory"),
                "year", Map.of("dimension", "lovac_year"), "establishment", Map.of("dimension", "establishment")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) campaigns.get("charts");
        Map<String, Object> returnRate = charts.stream().filter(c -> c.get("id").equals("return_rate")).findFirst()
                .orElseThrow();
        // A chart's own filter dimensions: campaigns have no territory dimension, and their year is the sending's.
        Map<String, Object> filterDimensions = new java.util.HashMap<>();
        filterDimensions.put("territory", null);
        filterDimensions.put("year", "sent_at");
        filterDimensions.put("establishment", "establishment");
        assertThat(returnRate.get("filter_dimensions")).isEqualTo(filterDimensions);
    }

    @Test
    void anUnknownMeasureIsNamedWithItsLineAndTheClosestName() throws IOException {
        EntrepotException error = refused(HEAD + """
                  - id: stock
                    title: {fr: Stock, en: Stock}
                    type: kpi
                    cube: housing
                    measures: [vacant_cout]
                """);
        assertThat(error.getMessage()).contains("board.yml, line 9").contains("charts[0].measures[0]")
                .contains("no measure of cube housing named 'vacant_cout'");
        assertThat(error.hint()).contains("Did you mean 'vacant_count'?");
        assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
    }

    @Test
    void unknownCubesDimensionsAndSegmentsAreNamed() throws IOException {
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    cube: housng
                    measures: [count]
                    dimensions: [{dimension: status}]
                """).getMessage()).contains("no cube named 'housng'");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    cube: housing
                    measures: [count]
                    dimensions: [{dimension: statuss}]
                """).hint()).contains("Did you mean 'status'?");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    cube: housing
                    measures: [count]
                    dimensions: [{dimension: status}]
                    segments: [vacnt]
                """).getMessage()).contains("no segment of cube housing named 'vacnt'");
        // The page's filter dimension must exist in each chart's cube too, unless the chart says null.
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: kpi
                    cube: monthly_kpis
                    measures: [campaigns_sent]
                """).getMessage()).contains("charts[0].filter_dimensions.territory")
                .contains("no dimension of cube monthly_kpis named 'territory'");
    }

    @Test
    void aChartsShapeIsChecked() throws IOException {
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: donut
                    cube: housing
                    measures: [count]
                """).getMessage()).contains("charts[0].type").contains("'donut' is not a chart type");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A}
                    type: kpi
                    cube: housing
                    measures: [count]
                """).getMessage()).contains("charts[0].title").contains("the text in 'en' is missing");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: bar
                    cube: housing
                    measures: [count]
                """).getMessage()).contains("a bar chart needs a dimension");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: kpi
                    cube: housing
                    measures: [count]
                  - id: a
                    title: {fr: B, en: B}
                    type: kpi
                    cube: housing
                    measures: [count]
                """).getMessage()).contains("charts[1].id").contains("two charts are named 'a'");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: bar
                    cube: housing
                    measures: [count]
                    dimensions: [{dimension: territory, level: canton}]
                """).getMessage()).contains("dimensions[0].level").contains("'canton' is not allowed here");
        assertThat(refused(HEAD + """
                  - id: a
                    title: {fr: A, en: A}
                    type: bar
                    cube: housing
                    measures: [count]
                    dimensions: [{dimension: status}]
                    drill: true
                """).getMessage()).contains("only a chart by a geographic dimension with a level can drill down");
        assertThat(refused("""
                title: {fr: Tableau, en: Board}
                filters:
                  month: {dimension: month}
                charts: []
                """).getMessage()).contains("filters.month").contains("'month' is not a filter of the pages");
        assertThat(refused("""
                title: {fr: Tableau, en: Board}
                charts:
                  - id: a
                    title: {fr: A, en: A}
                    type: kpi
                    cube: housing
                    measurs: [count]
                """).getMessage()).contains("line 7").contains("measurs");
    }

    @Test
    void noDirectoryNoDashboards() throws WebError {
        assertThat(Dashboards.load(directory.resolve("missing"), Dashboards.of(model)).list()).isEmpty();
    }
}
