package fr.zlv.entrepot.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in the system's headless Chromium, against the whole server ({@link WebUiServer}: the programme's
 * semantic layer and dashboards over a small BI file, an orchestrator over a little dbt project): sign-in, the lineage,
 * launching a job and watching it turn green, a failed run's error, each dashboard's figures against the semantic
 * API's, a territorial user's view, drill-down, exports, the language switch and the catalog. Screenshots go to
 * {@code target/screenshots/}.
 */
class WebUiBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path DOWNLOADS = Path.of("target", "downloads").toAbsolutePath();

    @TempDir
    static Path directory;

    private static WebUiServer server;
    private static WebClient http;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String site;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The web UI tests drive the system's Chromium, and " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER
                    : CHROMIUM) + " is missing: install it with 'apt-get install chromium chromium-driver'.");
        }
        server = WebUiServer.start(directory);
        http = new WebClient(server.url());
        site = server.url().toString();
        Files.createDirectories(DOWNLOADS);
        // The local driver and browser, named explicitly: Selenium Manager must not look for (download) others.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000",
                "--lang=fr-FR");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // Charts are drawn again when a filter changes: an element may go stale while it is looked at.
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshTab() {
        browser.manage().window().setSize(new Dimension(1440, 1000));
        browser.get(site + "ui/");
        // French first, as the programme's users read it (the English test switches).
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.clear();"
                + " localStorage.setItem('entrepot.language', 'fr');");
        // Each test loads its first page into a new document.
        browser.get("about:blank");
    }

    @AfterEach
    void noScriptErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // A refused token is answered 401 on purpose; the browser logs the failed request.
                .filter(message -> !message.contains("401"))
                .toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    /** Opens a page signed in with a token given once in the address. */
    private void open(String token, String hash) {
        browser.get(site + "ui/?token=" + token + hash);
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("who"), "")));
    }

    private Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }

    // Sign-in

    @Test
    void signingInWithAPastedTokenOpensThePageAskedFor() {
        browser.get(site + "ui/#/runs");
        wait.until(ExpectedConditions.urlContains("#/signin"));
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElement(By.cssSelector("label[for='token']")).getText()).isEqualTo("Jeton d'accès");

        field.sendKeys("this.is.not-a-token");
        browser.findElement(By.id("signin-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        assertThat(error.getText()).startsWith("Le jeton a été refusé :").contains("not a JWT");

        field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(server.token("analyst"));
        browser.findElement(By.id("signin-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs-table")));
        assertThat(browser.getCurrentUrl()).endsWith("#/runs");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("analyst-user · analyste");
        assertThat(script("return sessionStorage.getItem('entrepot.token')")).isNotNull();

        browser.findElement(By.id("signout")).click();
        wait.until(ExpectedConditions.urlContains("#/signin"));
        assertThat(script("return sessionStorage.getItem('entrepot.token')")).isNull();
    }

    @Test
    void aTokenInTheAddressSignsInAndLeavesTheAddress() throws IOException {
        open(server.token("analyst"), "#/dashboards");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dashboards a")));
        assertThat(browser.getCurrentUrl()).doesNotContain("token=").endsWith("/ui/#/dashboards");
        assertThat(browser.findElements(By.cssSelector("#dashboards a")).stream()
                .map(a -> a.getAttribute("data-dashboard")).toList())
                .containsExactly("housing_overview", "campaign_impact", "territorial_analysis", "monthly_kpis");
        // For the record, not asserted (tests never judge wall-clock time): when the page first painted.
        Object paint = script("const p = performance.getEntriesByName('first-contentful-paint')[0];"
                + " return p ? Math.round(p.startTime) : null;");
        Files.createDirectories(SCREENSHOTS);
        Files.writeString(SCREENSHOTS.resolve("first-paint.txt"), "first contentful paint of /ui/: " + paint
                + " ms (headless Chromium, loopback)\n");
    }

    // Operations

    @Test
    void theLineageShowsTheAssetsAndANodesNeighbours() throws IOException {
        open(server.token("analyst"), "#/assets");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#lineage .node")));
        assertThat(nodeKeys()).contains("main/numbers", "main/big_numbers", "main/even_numbers", "main/broken");
        // Columns by depth: what an asset is built from is on its left.
        assertThat(x("main/numbers")).isLessThan(x("main/big_numbers"));
        assertThat(x("main/big_numbers")).isLessThan(x("main/even_numbers"));

        // The keyboard reaches a node; Enter opens it.
        WebElement big = node("main/big_numbers");
        script("arguments[0].focus()", big);
        big.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.id("asset-title"), "main/big_numbers"));
        assertThat(browser.findElements(By.cssSelector("#asset-upstream button")).stream().map(WebElement::getText)
                .toList()).containsExactly("main/numbers");
        assertThat(browser.findElements(By.cssSelector("#asset-downstream button")).stream().map(WebElement::getText)
                .toList()).containsExactly("main/even_numbers");
        assertThat(browser.findElement(By.id("asset-checks")).getText()).contains("enough_numbers")
                .contains("not_null");
        assertThat(browser.getCurrentUrl()).contains("#/assets?key=main%2Fbig_numbers");
        // Its lineage is highlighted, the rest dimmed.
        assertThat(node("main/broken").getAttribute("class")).contains("dimmed");
        assertThat(node("main/numbers").getAttribute("class")).doesNotContain("dimmed");
        // No launch buttons for an analyst.
        assertThat(browser.findElements(By.id("materialize-asset"))).isEmpty();
        screenshot("lineage.png");

        // Clicking a neighbour opens it.
        browser.findElement(By.cssSelector("#asset-downstream button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("asset-title"), "main/even_numbers"));
    }

    @Test
    void anOperatorLaunchesAJobAndWatchesItTurnGreen() throws IOException {
        open(server.token("operator"), "#/jobs");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs-table tr[data-job='build_numbers']")));
        assertThat(row.getText()).contains("The numbers and what is built from them.");
        assertThat(browser.findElement(By.cssSelector("#schedules-table tr[data-schedule='nightly'] .next-tick"))
                .getText()).isNotEqualTo("—");
        row.findElement(By.cssSelector("button.launch")).click();

        // The run's page: live until it ends green.
        wait.until(ExpectedConditions.urlMatches("#/runs/[0-9a-f-]{36}$"));
        String runId = browser.getCurrentUrl().replaceAll(".*#/runs/", "");
        new WebDriverWait(browser, Duration.ofMinutes(2)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#run-status .status.success")));
        wait.until(driver -> browser.findElement(By.id("logs")).getText().contains("Run success"));
        assertThat(browser.findElement(By.id("logs")).getText()).contains("Materialized main/big_numbers");
        assertThat(browser.findElements(By.cssSelector("#timeline .step")).stream()
                .map(step -> step.getAttribute("data-status")).toList()).containsOnly("success");
        screenshot("run-success.png");

        // The lineage shows the job's assets green, built by this run.
        browser.get(site + "ui/#/assets?key=main%2Fbig_numbers");
        wait.until(driver -> "materialized".equals(node("main/big_numbers").getAttribute("data-status")));
        assertThat(node("main/numbers").getAttribute("data-status")).isEqualTo("materialized");
        assertThat(node("main/even_numbers").getAttribute("data-status")).isEqualTo("materialized");
        wait.until(driver -> browser.findElement(By.id("asset-details")).getText().contains(runId.substring(0, 8)));
        screenshot("lineage-after-run.png");
    }

    @Test
    void anOperatorMaterializesAnAssetFromTheLineage() {
        open(server.token("operator"), "#/assets?key=main%2Fnumbers");
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(By.id("materialize-asset")));
        int runsBefore = server.store.runs(null, 500).size();
        button.click();
        wait.until(driver -> server.store.runs(null, 500).size() > runsBefore);
        RunRecord run = server.store.runs(null, 1).get(0);
        assertThat(run.selection()).isEqualTo("key:main/numbers");
        assertThat(server.orchestrator.await(run.runId(), Duration.ofMinutes(2)).status()).isEqualTo(RunStatus.SUCCESS);
    }

    @Test
    void aFailedRunShowsItsErrorAndOffersToReExecute() throws IOException {
        RunRecord failed = server.run("build_broken");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILURE);
        open(server.token("operator"), "#/runs/" + failed.runId());
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#run-errors .step-failure")));
        assertThat(error.getText()).contains("dbt_build").contains("no_such_column");
        assertThat(browser.findElement(By.cssSelector("#run-status .status")).getText()).isEqualTo("en échec");
        assertThat(browser.findElement(By.id("logs")).getText()).contains("ERROR").contains("no_such_column");
        assertThat(browser.findElement(By.id("reexecute")).getText()).isEqualTo("Relancer depuis l'échec");
        screenshot("run-failed.png");

        // In the list, the failure shows with its symbol and word.
        browser.get(site + "ui/#/runs");
        WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#runs-table tr[data-run='" + failed.runId() + "']")));
        assertThat(listed.findElement(By.cssSelector(".status")).getAttribute("class")).contains("failure");
    }

    @Test
    void nonOperatorsSeeTheJobsButCannotLaunch() {
        open(server.token("analyst"), "#/jobs");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#jobs-table tr[data-job]")));
        assertThat(browser.findElement(By.id("readonly-note")).getText()).contains("opérateurs");
        assertThat(browser.findElements(By.cssSelector("button.launch"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("button.switch"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#schedules-table tr[data-schedule='nightly']")).getText())
                .contains("@daily");
    }

    @Test
    void theChecksPageListsEveryCheckWithItsLatestResult() {
        server.run("build_numbers");
        open(server.token("analyst"), "#/checks");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#checks-table tr[data-asset='main/big_numbers'][data-check='enough_numbers']")));
        assertThat(row.getText()).contains("nombre de lignes").contains("bloquant").contains("réussie");
    }

    // Dashboards

    @Test
    void eachDashboardShowsTheSemanticApisFigures() throws IOException {
        String token = server.token("analyst");
        open(token, "#/dashboards");
        for (String dashboard : List.of("housing_overview", "campaign_impact", "territorial_analysis",
                "monthly_kpis")) {
            browser.get(site + "ui/#/dashboards/" + dashboard);
            List<WebElement> charts = waitForCharts();
            assertThat(charts).as(dashboard).isNotEmpty();
            for (WebElement chart : charts) {
                compareWithTheApi(token, chart);
            }
            screenshot("dashboard-" + dashboard + ".png");
        }
    }

    @Test
    void theFiltersNarrowTheFiguresAsTheApiDoes() throws Exception {
        String token = server.token("analyst");
        open(token, "#/dashboards/territorial_analysis");
        waitForCharts();
        new Select(browser.findElement(By.id("filter-year"))).selectByValue("2023");
        waitForCharts();
        new Select(browser.findElement(By.id("filter-level"))).selectByValue("departement");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("filter-territory")));
        new Select(browser.findElement(By.id("filter-territory"))).selectByValue("69");
        List<WebElement> charts = waitForCharts();
        assertThat(browser.getCurrentUrl()).contains("level=departement").contains("territory=69").contains("year=2023");
        for (WebElement chart : charts) {
            compareWithTheApi(token, chart);
        }

        // The same figures, asked by hand of the API and of the BI file itself.
        JsonNode api = http.graphql(token, """
                { commune_vacancy(measures: [vacant_housings], dimensions: [{dimension: territory, level: EPCI}],
                    filters: [{dimension: territory, level: DEPARTEMENT, operator: EQUALS, value: "69"},
                              {dimension: lovac_year, operator: EQUALS, value: 2023}]) { rows { vacant_housings territory { code } } } }
                """, WebClient.JSON.createObjectNode());
        Map<String, Long> fromApi = new HashMap<>();
        api.get("commune_vacancy").get("rows").forEach(row -> fromApi.put(row.get("territory").get("code").asText(),
                row.get("vacant_housings").asLong()));
        Map<String, Long> fromFile = sql("SELECT epci_code, sum(vacant_housing_count) FROM analysis_city_aggregated"
                + " WHERE department_code = ? AND lovac_year = ? GROUP BY 1", "69", 2023);
        assertThat(fromApi).isEqualTo(fromFile).containsOnlyKeys("200046977");
        Map<String, Long> shown = new HashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#chart-epci_table tbody tr"))) {
            shown.put(row.findElement(By.cssSelector("td[data-key='territory']")).getAttribute("data-value"),
                    Long.parseLong(row.findElement(By.cssSelector("td[data-key='vacant_housings']"))
                            .getAttribute("data-value")));
        }
        assertThat(shown).isEqualTo(fromFile);
    }

    @Test
    void aTerritorialUserSwitchesBetweenItsTerritoriesAndSeesOnlyThem() throws Exception {
        String token = server.token("territory", Map.of("departement", List.of("01", "69")));
        open(token, "#/dashboards/territorial_analysis");
        waitForCharts();
        assertThat(browser.findElement(By.id("scope-note")).getText()).contains("01, 69");
        // Without a filter: only its two départements, in every chart.
        assertThat(codes("#chart-exit_rate_ranking")).containsExactlyInAnyOrder("01", "69");
        assertThat(codes("#chart-epci_table")).containsExactlyInAnyOrder("200071751", "240100883", "200046977");

        new Select(browser.findElement(By.id("filter-level"))).selectByValue("departement");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("filter-territory")));
        Select territory = new Select(browser.findElement(By.id("filter-territory")));
        assertThat(territory.getOptions().stream().map(o -> o.getAttribute("value")).filter(v -> !v.isEmpty())
                .toList()).containsExactly("01", "69");

        territory.selectByValue("69");
        waitForCharts();
        assertThat(codes("#chart-epci_table")).containsExactly("200046977");
        Map<String, Long> lyon = sql("SELECT epci_code, sum(vacant_housing_count) FROM analysis_city_aggregated"
                + " WHERE department_code = ? GROUP BY 1", "69");
        assertThat(browser.findElement(By.cssSelector("#chart-epci_table td[data-key='vacant_housings']"))
                .getAttribute("data-value")).isEqualTo(lyon.get("200046977").toString());
        screenshot("dashboard-territorial-69.png");

        new Select(browser.findElement(By.id("filter-territory"))).selectByValue("01");
        waitForCharts();
        assertThat(codes("#chart-epci_table")).containsExactlyInAnyOrder("200071751", "240100883");
        for (WebElement chart : browser.findElements(By.cssSelector("figure.chart"))) {
            compareWithTheApi(token, chart);
        }
        // Corsica is not theirs: the API refuses nothing but shows nothing of it either.
        browser.get(site + "ui/#/dashboards/housing_overview?level=departement&territory=2A");
        List<WebElement> charts = waitForCharts();
        assertThat(browser.findElement(By.cssSelector("#chart-key_figures .kpi[data-key='vacant_count']"))
                .getAttribute("data-value")).isEqualTo("0");
        charts.forEach(chart -> compareWithTheApi(token, chart));
    }

    @Test
    void clickingABarDrillsDownOneLevel() {
        open(server.token("analyst"), "#/dashboards/territorial_analysis");
        waitForCharts();
        WebElement chart = browser.findElement(By.id("chart-vacant_by_territory"));
        assertThat(chart.getAttribute("data-level")).isEqualTo("region");
        assertThat(codes("#chart-vacant_by_territory")).containsExactlyInAnyOrder("84", "94");
        // The table's territories open their next level (as a click on a bar does).
        chart.findElement(By.cssSelector("button.show-table")).click();
        WebElement region = chart.findElement(By.cssSelector("tbody td[data-value='84'] button.drill"));
        assertThat(region.getText()).isEqualTo("Auvergne-Rhône-Alpes (84)");
        region.click();
        wait.until(driver -> "departement".equals(browser.findElement(By.id("chart-vacant_by_territory"))
                .getAttribute("data-level")));
        wait.until(driver -> "ready".equals(browser.findElement(By.id("chart-vacant_by_territory"))
                .getAttribute("data-state")));
        assertThat(codes("#chart-vacant_by_territory")).containsExactlyInAnyOrder("01", "69");
        assertThat(browser.findElement(By.cssSelector("#chart-vacant_by_territory .breadcrumb")).getText())
                .contains("France").contains("Auvergne-Rhône-Alpes");
        compareWithTheApi(server.token("analyst"), browser.findElement(By.id("chart-vacant_by_territory")));
    }

    @Test
    void chartsExportAsCsvAndPng() throws Exception {
        try (Stream<Path> old = Files.list(DOWNLOADS)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        open(server.token("analyst"), "#/dashboards/monthly_kpis");
        waitForCharts();
        WebElement chart = browser.findElement(By.id("chart-contacts"));
        chart.findElement(By.cssSelector("button.export-csv")).click();
        chart.findElement(By.cssSelector("button.export-png")).click();
        Path csv = DOWNLOADS.resolve("monthly_kpis-contacts.csv");
        Path png = DOWNLOADS.resolve("monthly_kpis-contacts.png");
        wait.until(driver -> Files.isRegularFile(csv) && Files.isRegularFile(png));
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("\ufeffmonth,housings_contacted,housings_newly_contacted");
        assertThat(lines).hasSize(1 + 24);
        assertThat(lines.get(1)).startsWith("2024-12-01,");
        byte[] image = Files.readAllBytes(png);
        assertThat(image.length).isGreaterThan(1000);
        assertThat(new String(image, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void theLanguageSwitchesEveryText() {
        open(server.token("analyst"), "#/dashboards/monthly_kpis");
        waitForCharts();
        assertThat(browser.findElement(By.cssSelector("#view h1")).getText()).isEqualTo("Indicateurs mensuels");
        new Select(browser.findElement(By.id("language"))).selectByValue("en");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h1"), "Monthly KPIs"));
        waitForCharts();
        assertThat(browser.findElement(By.cssSelector("#nav a[data-nav='dashboards']")).getText())
                .isEqualTo("Dashboards");
        assertThat(browser.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.cssSelector("#chart-by_month th[data-key='campaigns_sent']"))
                .getAttribute("textContent")).isEqualTo("Campaigns sent");
        // The choice is kept.
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h1"), "Monthly KPIs"));
    }

    @Test
    void theCatalogOpensInsideTheApplication() {
        open(server.token("analyst"), "#/dashboards");
        browser.findElement(By.cssSelector("#nav a[data-nav='catalog']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".node-list-item")));
        assertThat(browser.findElement(By.id("project-name")).getText()).isEqualTo("little");
        assertThat(browser.findElements(By.cssSelector(".node-list-item")).stream()
                .map(item -> item.getAttribute("data-id")).toList()).contains("model.little.big_numbers");
    }

    // Helpers

    private List<String> nodeKeys() {
        return browser.findElements(By.cssSelector("#lineage .node")).stream().map(n -> n.getAttribute("data-key"))
                .toList();
    }

    private WebElement node(String key) {
        return browser.findElement(By.cssSelector("#lineage .node[data-key='" + key + "']"));
    }

    private double x(String key) {
        String transform = node(key).getAttribute("transform");
        return Double.parseDouble(transform.replaceAll("translate\\(([-\\d.]+),.*", "$1"));
    }

    /** Waits until every chart of the page has its data, and returns them. */
    private List<WebElement> waitForCharts() {
        wait.until(driver -> {
            List<WebElement> charts = browser.findElements(By.cssSelector("figure.chart"));
            return !charts.isEmpty() && charts.stream().allMatch(c -> "ready".equals(c.getAttribute("data-state"))
                    && "false".equals(c.getAttribute("aria-busy")));
        });
        return browser.findElements(By.cssSelector("figure.chart"));
    }

    /** The territory codes in a chart's data table. */
    private List<String> codes(String chart) {
        return browser.findElements(By.cssSelector(chart + " tbody td[data-key='territory']")).stream()
                .map(td -> td.getAttribute("data-value")).toList();
    }

    /**
     * Sends the chart's own query, with its variables, to the API with the same token, and compares the rows to the
     * chart's data table (and its key figures), cell by cell.
     */
    private void compareWithTheApi(String token, WebElement chart) {
        String id = chart.getAttribute("data-chart");
        JsonNode variables;
        try {
            variables = WebClient.JSON.readTree(chart.getAttribute("data-variables"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        JsonNode data = http.graphql(token, chart.getAttribute("data-query"), variables);
        JsonNode rows = data.elements().next().get("rows");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> shown = (List<Map<String, String>>) script(
                "return [...arguments[0].querySelectorAll('table tbody tr')].map(tr => Object.fromEntries("
                        + "[...tr.querySelectorAll('td[data-key]')].map(td => [td.dataset.key, td.dataset.value])));",
                chart);
        if (rows.isEmpty()) {
            assertThat(shown).as(id).hasSize(1);
            assertThat(shown.get(0)).as(id + ": a 'no data' row").isEmpty();
            return;
        }
        assertThat(shown).as(id + " rows").hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(shown.get(i).keySet()).as(id).isNotEmpty();
            for (Map.Entry<String, String> cell : shown.get(i).entrySet()) {
                assertThat(cell.getValue()).as(id + " row " + i + " " + cell.getKey())
                        .isEqualTo(expected(rows.get(i).get(cell.getKey())));
            }
        }
        List<WebElement> kpis = chart.findElements(By.cssSelector(".kpi"));
        JsonNode last = rows.get(rows.size() - 1);
        for (WebElement kpi : kpis) {
            assertThat(kpi.getAttribute("data-value")).as(id + " " + kpi.getAttribute("data-key"))
                    .isEqualTo(expected(last.get(kpi.getAttribute("data-key"))));
        }
    }

    /** A value as the page writes it in data-value: the code of a territory, JavaScript's text of a number. */
    private static String expected(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isObject()) {
            return value.get("code").asText();
        }
        if (value.isNumber()) {
            double number = value.asDouble();
            if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                return Long.toString((long) number);
            }
            return jsNumber(number);
        }
        return value.asText();
    }

    /** JavaScript's String(number) for the doubles the API sends (shortest round-trip form). */
    private static String jsNumber(double number) {
        String text = Double.toString(number);
        if (text.contains("E")) {
            return new java.math.BigDecimal(text).stripTrailingZeros().toPlainString();
        }
        return text;
    }

    private Map<String, Long> sql(String query, Object... parameters) throws Exception {
        Map<String, Long> result = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + server.biFile.toAbsolutePath(),
                readOnly()); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return result;
    }

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        return properties;
    }

    private static void screenshot(String name) throws IOException {
        File taken = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(taken.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @SuppressWarnings("unused")
    private static List<String> texts(List<WebElement> elements) {
        List<String> texts = new ArrayList<>();
        elements.forEach(e -> texts.add(e.getText()));
        return texts;
    }
}
