package fr.zlv.entrepot.dbt.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import fr.zlv.entrepot.dbt.DbtEngine;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The documentation site of the shop project, served by DocsServer and driven in the system's headless Chromium:
 * the list, the search, a model's page (description, columns with types and tests, SQL) and the lineage graph.
 * The generated site stays in target/docs-site-test/ and a screenshot in target/docs-screenshot.png.
 */
class DocsSiteBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path WORK = Path.of("target", "docs-site-test");

    private static DocsServer server;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String site;

    @BeforeAll
    static void generateServeAndOpen() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The docs site test drives the system's Chromium, and " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER
                    : CHROMIUM) + " is missing: install it with 'apt-get install chromium chromium-driver'.");
        }
        ShopFixture shop = ShopFixture.copyTo(WORK);
        // Tests on a column: the page shows them next to the column.
        shop.edit("models/marts/_marts.yml", "        description: The customer's key.\n",
                "        description: The customer's key.\n        data_tests: [unique, not_null]\n");
        Path target;
        try (DbtEngine dbt = shop.load()) {
            dbt.build(DbtEngine.Selection.ALL);
            target = DocsGenerator.generate(dbt.project(), dbt.adapter(), dbt.targetDirectory(), "browser-test")
                    .targetDirectory();
        }
        server = DocsServer.start(target, 0);
        site = server.url().toString();

        // The local driver and browser, named explicitly: Selenium Manager must not look for (download) others.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterEach
    void noScriptErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
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
    void openTheOverview() {
        browser.manage().window().setSize(new Dimension(1440, 1000));
        // A page of its own for each test: a new hash alone would keep the last test's search.
        browser.get("about:blank");
        browser.get(site + "#!/overview");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".node-list-item")));
    }

    private List<String> listedIds() {
        return browser.findElements(By.cssSelector(".node-list-item")).stream()
                .map(item -> item.getAttribute("data-id")).toList();
    }

    private void open(String hash) {
        browser.get(site + hash);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#main h1")));
    }

    private WebElement graphNode(String id) {
        return browser.findElement(By.cssSelector("#lineage svg g.lineage-node[data-id='" + id + "']"));
    }

    private List<String> graphIds(String extraClass) {
        return browser.findElements(By.cssSelector("#lineage svg g.lineage-node" + extraClass)).stream()
                .map(node -> node.getAttribute("data-id")).toList();
    }

    @Test
    void theListHasTheProjectsResources() {
        assertThat(browser.findElement(By.id("project-name")).getText()).isEqualTo("shop");
        assertThat(listedIds()).contains("model.shop.orders", "model.shop.customers", "model.shop.stg_orders",
                "model.shop_utils.utils_months", "source.shop.raw.events", "seed.shop.raw_customers",
                "snapshot.shop.orders_snapshot");
        assertThat(listedIds()).doesNotContain("model.shop.old_orders"); // disabled
        assertThat(browser.findElements(By.cssSelector(".node-group h3")).stream().map(WebElement::getText).toList())
                .anySatisfy(title -> assertThat(title).startsWith("MODELS"))
                .anySatisfy(title -> assertThat(title).startsWith("SOURCES"));
        // The overview's lineage shows the whole project.
        assertThat(graphIds("")).contains("source.shop.raw.events", "model.shop.monthly_revenue");
    }

    @Test
    void searchingFiltersAsYouType() {
        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("stg_ord");
        wait.until(driver -> listedIds().equals(List.of("model.shop.stg_orders")));
        assertThat(browser.findElement(By.id("search-summary")).getText()).startsWith("1 result");

        // A column name finds its model, and the list says where it matched.
        search.clear();
        search.sendKeys("lifetime_value");
        wait.until(driver -> listedIds().equals(List.of("model.shop.customers")));
        assertThat(browser.findElement(By.cssSelector(".node-list-item .item-hint")).getText())
                .isEqualTo("column: lifetime_value");

        // Descriptions too; Enter opens the first result.
        search.clear();
        search.sendKeys("one row per payment");
        wait.until(driver -> listedIds().equals(List.of("seed.shop.raw_payments")));
        search.sendKeys("\n");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#node-title .title-name"), "raw_payments"));
    }

    @Test
    void aModelsPageShowsItsDescriptionColumnsAndCode() {
        browser.findElement(By.cssSelector(".node-list-item[data-id='model.shop.customers']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#node-title .title-name"), "customers"));
        assertThat(browser.getCurrentUrl()).endsWith("#!/model/model.shop.customers");
        assertThat(browser.findElement(By.cssSelector(".node-list-item.active")).getAttribute("data-id"))
                .isEqualTo("model.shop.customers");
        assertThat(browser.findElement(By.id("node-description")).getText())
                .isEqualTo("One row per customer, with what they ordered.");
        assertThat(browser.findElement(By.id("node-details")).getText()).contains("table", "main_marts", "marts", "daily");

        List<WebElement> rows = browser.findElements(By.cssSelector("#columns-table tr.column-row"));
        assertThat(rows.stream().map(row -> row.getAttribute("data-column")).toList())
                .containsExactly("customer_id", "full_name", "city", "order_count", "lifetime_value", "first_order_date");
        WebElement orderCount = browser.findElement(By.cssSelector("tr[data-column='order_count']"));
        assertThat(orderCount.findElement(By.cssSelector(".column-type")).getText()).isEqualTo("BIGINT");
        WebElement lifetime = browser.findElement(By.cssSelector("tr[data-column='lifetime_value']"));
        assertThat(lifetime.findElement(By.cssSelector(".column-description")).getText())
                .startsWith("What a customer has paid for completed orders");
        assertThat(lifetime.findElement(By.cssSelector(".column-description strong")).getText()).isEqualTo("completed");
        WebElement customerId = browser.findElement(By.cssSelector("tr[data-column='customer_id']"));
        assertThat(customerId.findElement(By.cssSelector(".column-description")).getText()).isEqualTo("The customer's key.");
        assertThat(customerId.findElements(By.cssSelector(".column-tests .test-badge")).stream()
                .map(WebElement::getText).toList()).containsExactlyInAnyOrder("unique", "not_null");

        assertThat(browser.findElements(By.cssSelector("#depends-on a")).stream()
                .map(link -> link.getAttribute("data-id")).toList())
                .containsExactlyInAnyOrder("model.shop.stg_customers", "model.shop.orders");

        WebElement compiled = browser.findElement(By.id("compiled-sql"));
        assertThat(compiled.getText()).contains("\"main_stg\".\"stg_customers\"").doesNotContain("{{");
        browser.findElement(By.cssSelector("#section-code button[data-tab='raw']")).click();
        assertThat(compiled.isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("raw-sql")).getText()).contains("{{ ref('stg_customers') }}");
    }

    @Test
    void theLineageGraphShowsUpstreamAndDownstream() throws IOException {
        open("#!/model/model.shop.orders");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#lineage svg g.lineage-node")));

        assertThat(graphNode("model.shop.orders").getAttribute("class")).contains("current");
        assertThat(graphIds(".upstream")).containsExactlyInAnyOrder("model.shop.int_order_payments",
                "model.shop.int_payment_methods", "model.shop.stg_orders", "model.shop.stg_payments",
                "seed.shop.raw_orders", "seed.shop.raw_payments");
        assertThat(graphIds(".downstream")).containsExactlyInAnyOrder("model.shop.customers",
                "model.shop.daily_revenue", "model.shop.monthly_revenue", "analysis.shop.revenue_by_city");
        assertThat(graphIds("")).doesNotContain("model.shop.event_log", "source.shop.raw.events");
        assertThat(browser.findElements(By.cssSelector("#lineage path.lineage-edge.highlight"))).isNotEmpty();

        // Layers run left to right: a seed, then the staging view, then the model, then what uses it.
        assertThat(x("seed.shop.raw_orders")).isLessThan(x("model.shop.stg_orders"));
        assertThat(x("model.shop.stg_orders")).isLessThan(x("model.shop.int_order_payments"));
        assertThat(x("model.shop.int_order_payments")).isLessThan(x("model.shop.orders"));
        assertThat(x("model.shop.orders")).isLessThan(x("model.shop.customers"));

        // The whole project, with the model's lineage highlighted and the rest dimmed.
        browser.findElement(By.cssSelector("#section-lineage button[data-mode='all']")).click();
        assertThat(graphIds(".dimmed")).contains("model.shop.event_log", "source.shop.raw.events");
        assertThat(graphNode("model.shop.orders").getAttribute("class")).contains("current");

        // Zoom and pan move the viewport.
        WebElement viewport = browser.findElement(By.cssSelector("#lineage svg g.viewport"));
        String before = viewport.getAttribute("transform");
        browser.findElement(By.cssSelector("#section-lineage button[data-zoom='in']")).click();
        String zoomed = viewport.getAttribute("transform");
        assertThat(zoomed).isNotEqualTo(before);
        new Actions(browser).moveToElement(browser.findElement(By.id("lineage")), -200, 60).clickAndHold()
                .moveByOffset(120, 40).release().perform();
        assertThat(viewport.getAttribute("transform")).isNotEqualTo(zoomed);
        browser.findElement(By.cssSelector("#section-lineage button[data-mode='focus']")).click();

        // The whole page in the picture: header, details, columns, lineage.
        browser.manage().window().setSize(new Dimension(1440, 1900));
        browser.executeScript("document.getElementById('main').scrollTop = 0;");
        screenshot(Path.of("target", "docs-screenshot.png"));

        // Clicking a node opens its page.
        graphNode("model.shop.customers").click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#node-title .title-name"), "customers"));
        assertThat(browser.getCurrentUrl()).endsWith("#!/model/model.shop.customers");
        assertThat(graphNode("model.shop.customers").getAttribute("class")).contains("current");
    }

    @Test
    void sourcesAndLinksWork() {
        open("#!/source/source.shop.raw.events");
        assertThat(browser.findElement(By.cssSelector("#node-title .title-name")).getText()).isEqualTo("raw.events");
        assertThat(browser.findElement(By.id("node-description")).getText()).isEqualTo("Order events, one row per change.");
        assertThat(browser.findElement(By.cssSelector("tr[data-column='event_id'] .column-description")).getText())
                .isEqualTo("The event's key.");
        assertThat(browser.findElements(By.cssSelector("#referenced-by a")).stream()
                .map(link -> link.getAttribute("data-id")).toList()).containsExactly("model.shop.stg_events");
        assertThat(graphIds(".downstream")).contains("model.shop.stg_events", "model.shop.event_log",
                "model.shop.order_events");

        open("#!/model/model.nothing.here");
        assertThat(browser.findElement(By.cssSelector("#main h1")).getText()).isEqualTo("Not found");
    }

    @Test
    void everythingComesFromTheLocalServer() {
        open("#!/model/model.shop.orders");
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(entry => entry.name);");
        assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(site));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeScript("return {nodes: Object.keys(window.ENTREPOT_DOCS.nodes).length};");
        assertThat(((Number) data.get("nodes")).intValue()).isPositive();
    }

    @Test
    void theOverviewScreenshot() throws IOException {
        browser.manage().window().setSize(new Dimension(1440, 1100));
        open("#!/overview");
        assertThat(browser.findElement(By.id("section-overview")).getText())
                .containsIgnoringCase("Models").containsIgnoringCase("Relations in the warehouse");
        screenshot(Path.of("target", "docs-screenshot-overview.png"));
    }

    private int x(String id) {
        String transform = graphNode(id).getAttribute("transform");
        return (int) Double.parseDouble(transform.replaceAll("translate\\(([-\\d.]+),.*", "$1"));
    }

    private static void screenshot(Path file) throws IOException {
        File taken = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(taken.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
