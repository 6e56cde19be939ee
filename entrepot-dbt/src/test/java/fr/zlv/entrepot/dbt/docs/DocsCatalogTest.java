package fr.zlv.entrepot.dbt.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs generate on the shop project, built but for one model: catalog.json has exactly the keys of dbt's catalog
 * schema v1, the warehouse's real column types and comments, the source table, and nothing for what is not built.
 */
class DocsCatalogTest {

    private static final Set<String> TOP_LEVEL = Set.of("metadata", "nodes", "sources", "errors");
    private static final Set<String> METADATA = Set.of("dbt_schema_version", "dbt_version", "generated_at",
            "invocation_id", "env");
    private static final Set<String> ENTRY = Set.of("metadata", "columns", "stats", "unique_id");
    private static final Set<String> TABLE_METADATA = Set.of("type", "schema", "name", "database", "comment", "owner");
    private static final Set<String> COLUMN = Set.of("type", "index", "name", "comment");
    private static final Set<String> STAT = Set.of("id", "label", "value", "include", "description");

    @TempDir
    static Path temporary;

    private static ShopFixture shop;
    private static DocsResult result;
    private static JsonNode catalog;
    /** The warehouse's own answer, read directly, to compare with the catalog's. */
    private static QueryTable customersColumns;
    private static long customersRows;

    @BeforeAll
    static void buildAllButMonthlyRevenueThenGenerate() throws IOException {
        shop = ShopFixture.copyTo(temporary);
        try (DbtEngine dbt = shop.load()) {
            dbt.build(new DbtEngine.Selection(List.of(), List.of("monthly_revenue"), null));
            result = DocsGenerator.generate(dbt.project(), dbt.adapter(), dbt.targetDirectory(), "docs-test-invocation");
            customersColumns = dbt.adapter().query("select column_name, data_type, ordinal_position"
                    + " from information_schema.columns where table_schema = 'main_marts' and table_name = 'customers'"
                    + " order by ordinal_position");
            customersRows = ((Number) dbt.adapter().query("select count(*) from main_marts.customers").first())
                    .longValue();
        }
        catalog = new ObjectMapper().readTree(result.catalogFile().toFile());
    }

    @Test
    void theDocumentHasExactlyTheSchemasKeys() {
        assertThat(keys(catalog)).isEqualTo(TOP_LEVEL);
        assertThat(keys(catalog.get("metadata"))).isEqualTo(METADATA);
        assertThat(catalog.at("/metadata/dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/catalog/v1.json");
        assertThat(catalog.at("/metadata/invocation_id").asText()).isEqualTo("docs-test-invocation");
        assertThat(catalog.get("errors").isNull()).isTrue();

        List<JsonNode> entries = new ArrayList<>();
        catalog.get("nodes").forEach(entries::add);
        catalog.get("sources").forEach(entries::add);
        assertThat(entries).isNotEmpty();
        for (JsonNode entry : entries) {
            assertThat(keys(entry)).as(entry.path("unique_id").asText()).isEqualTo(ENTRY);
            assertThat(keys(entry.get("metadata"))).isEqualTo(TABLE_METADATA);
            entry.get("columns").forEach(column -> assertThat(keys(column)).isEqualTo(COLUMN));
            entry.get("stats").forEach(stat -> assertThat(keys(stat)).isEqualTo(STAT));
            assertThat(entry.at("/stats/has_stats/include").asBoolean()).isFalse();
        }
    }

    @Test
    void aModelsColumnsAreTheWarehouses() {
        JsonNode customers = catalog.at("/nodes/model.shop.customers");
        assertThat(customers.get("unique_id").asText()).isEqualTo("model.shop.customers");
        assertThat(customers.at("/metadata/type").asText()).isEqualTo("BASE TABLE");
        assertThat(customers.at("/metadata/schema").asText()).isEqualTo("main_marts");
        assertThat(customers.at("/metadata/name").asText()).isEqualTo("customers");

        List<String> names = new ArrayList<>();
        customers.get("columns").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(customersColumns.size());
        for (int i = 0; i < customersColumns.size(); i++) {
            List<Object> expected = customersColumns.getRows().get(i);
            JsonNode column = customers.get("columns").get(names.get(i));
            assertThat(column.get("name").asText()).isEqualTo(expected.get(0));
            assertThat(column.get("type").asText()).isEqualTo(expected.get(1));
            assertThat(column.get("index").asInt()).isEqualTo(((Number) expected.get(2)).intValue()).isEqualTo(i + 1);
        }
        assertThat(customers.at("/columns/order_count/type").asText()).isEqualTo("BIGINT");

        // The marts persist their docs: COMMENT ON came back through the warehouse's catalog.
        assertThat(customers.at("/metadata/comment").asText()).isEqualTo("One row per customer, with what they ordered.");
        assertThat(customers.at("/columns/customer_id/comment").asText()).isEqualTo("The customer's key.");
        assertThat(customers.at("/columns/city/comment").isNull()).isTrue();

        assertThat(customers.at("/stats/row_count/value").asLong()).isEqualTo(customersRows).isPositive();
        assertThat(customers.at("/stats/has_stats/value").asBoolean()).isTrue();
    }

    @Test
    void viewsSeedsAndSourcesAreThere() {
        JsonNode view = catalog.at("/nodes/model.shop.stg_customers");
        assertThat(view.at("/metadata/type").asText()).isEqualTo("VIEW");
        assertThat(view.at("/stats/row_count").isMissingNode()).isTrue();
        assertThat(view.at("/stats/has_stats/value").asBoolean()).isFalse();

        assertThat(catalog.at("/nodes/seed.shop.raw_payments/columns/amount_cents/type").asText()).isEqualTo("INTEGER");

        JsonNode events = catalog.at("/sources/source.shop.raw.events");
        assertThat(events.get("unique_id").asText()).isEqualTo("source.shop.raw.events");
        assertThat(events.at("/metadata/schema").asText()).isEqualTo("raw");
        assertThat(events.at("/columns/event_id/index").asInt()).isEqualTo(1);
    }

    @Test
    void relationsNotBuiltAreAbsent() {
        assertThat(catalog.get("nodes").has("model.shop.monthly_revenue")).as("excluded from the build").isFalse();
        assertThat(catalog.get("nodes").has("model.shop.int_payment_methods")).as("ephemeral").isFalse();
        assertThat(catalog.get("nodes").has("model.shop.orders")).isTrue();
        assertThat(result.catalogued()).isEqualTo(catalog.get("nodes").size() + catalog.get("sources").size());
        assertThat(result.expected()).isGreaterThan(result.catalogued());
        assertThat(result.lines()).anySatisfy(line -> assertThat(line).startsWith("Catalog written to"));
    }

    @Test
    void theManifestAndTheSiteAreWrittenToo() throws IOException {
        Path target = result.targetDirectory();
        assertThat(result.compileErrors()).isEmpty();
        assertThat(result.files()).contains(target.resolve("manifest.json"), target.resolve("catalog.json"),
                target.resolve("index.html"), target.resolve("docs-data.js"), target.resolve("docs.js"),
                target.resolve("docs.css"));
        JsonNode manifest = new ObjectMapper().readTree(target.resolve("manifest.json").toFile());
        assertThat(manifest.at("/metadata/invocation_id").asText()).isEqualTo("docs-test-invocation");
        // docs generate compiles: even the model left out of the build has its compiled SQL.
        assertThat(manifest.at("/nodes/model.shop.monthly_revenue/compiled_code").asText()).contains("month_start");

        String script = Files.readString(target.resolve("docs-data.js"));
        String prefix = "window.ENTREPOT_DOCS = ";
        String json = script.substring(script.indexOf(prefix) + prefix.length(), script.lastIndexOf(';'));
        JsonNode data = new ObjectMapper().readTree(json);
        assertThat(keys(data)).containsExactlyInAnyOrder("metadata", "nodes", "sources", "parent_map", "child_map",
                "catalog", "declared_tests");
        assertThat(data.at("/catalog/nodes/model.shop.customers/columns/lifetime_value/type").asText())
                .isEqualTo(catalog.at("/nodes/model.shop.customers/columns/lifetime_value/type").asText());

        // Nothing from the network: no remote script, stylesheet, font or image.
        for (String name : DocsGenerator.SITE_FILES) {
            String text = Files.readString(target.resolve(name));
            assertThat(text).as(name).doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//")
                    .doesNotContain("@import").doesNotContain("@font-face").doesNotContainPattern("url\\(\\s*[\"']?https?:");
        }
    }

    @Test
    void declaredTestsAreNamed() {
        assertThat(DocsGenerator.testName("unique")).isEqualTo("unique");
        assertThat(DocsGenerator.testName(Map.of("relationships", Map.of("to", "ref('customers')"))))
                .isEqualTo("relationships");
        assertThat(DocsGenerator.testName(Map.of("name", "positive_amount", "test_name", "expression_is_true")))
                .isEqualTo("expression_is_true");
        assertThat(DocsGenerator.testName(42)).isNull();
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
