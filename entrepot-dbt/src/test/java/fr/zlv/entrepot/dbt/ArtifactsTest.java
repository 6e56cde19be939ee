package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/manifest.json and target/run_results.json against dbt's published schemas (manifest v12, run-results
 * v6): every required key is there, and no key the schema does not list (the schemas forbid extra keys).
 */
class ArtifactsTest {

    private static final Set<String> MANIFEST_KEYS = Set.of("metadata", "nodes", "sources", "macros", "docs",
            "exposures", "metrics", "groups", "selectors", "disabled", "parent_map", "child_map", "group_map",
            "saved_queries", "semantic_models", "unit_tests");
    private static final Set<String> MANIFEST_METADATA = Set.of("dbt_schema_version", "dbt_version", "generated_at",
            "invocation_id", "env", "project_name", "project_id", "user_id", "send_anonymous_usage_stats",
            "adapter_type");
    private static final Set<String> NODE_REQUIRED = Set.of("database", "schema", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn", "alias", "checksum");
    private static final Set<String> NODE_OPTIONAL = Set.of("config", "tags", "description", "columns", "meta",
            "group", "docs", "patch_path", "build_path", "unrendered_config", "created_at", "config_call_dict",
            "relation_name", "raw_code");
    private static final Set<String> COMPILED = Set.of("language", "refs", "sources", "metrics", "depends_on",
            "compiled_path", "compiled", "compiled_code", "extra_ctes_injected", "extra_ctes", "contract");
    private static final Set<String> MODEL_ONLY = Set.of("access", "constraints", "version", "latest_version",
            "deprecation_date", "primary_key", "time_spine");
    private static final Set<String> SEED_ONLY = Set.of("root_path", "depends_on");
    private static final Set<String> GENERIC_TEST_ONLY = Set.of("column_name", "file_key_name", "attached_node",
            "test_metadata");
    private static final Set<String> SOURCE_REQUIRED = Set.of("database", "schema", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn", "source_name", "source_description",
            "loader", "identifier");
    private static final Set<String> SOURCE_OPTIONAL = Set.of("quoting", "loaded_at_field", "freshness", "external",
            "description", "columns", "meta", "source_meta", "tags", "config", "patch_path", "unrendered_config",
            "relation_name", "created_at");
    private static final Set<String> MACRO_REQUIRED = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "macro_sql");
    private static final Set<String> MACRO_OPTIONAL = Set.of("depends_on", "description", "meta", "docs",
            "patch_path", "arguments", "created_at", "supported_languages");
    private static final Set<String> DOC_KEYS = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "block_contents");
    private static final Set<String> RUN_RESULT_KEYS = Set.of("status", "timing", "thread_id", "execution_time",
            "adapter_response", "message", "failures", "unique_id", "compiled", "compiled_code", "relation_name");

    @TempDir
    static Path temporary;

    private static JsonNode manifest;
    private static JsonNode runResults;

    @BeforeAll
    static void build() throws IOException {
        ShopProject shop = ShopProject.copyTo(temporary);
        shop.write("models/marts/orders.sql", shop.read("models/marts/orders.sql").replace("amount,",
                "amount / 0 as broken_on_purpose, amount,").replace("from {{", "from no_such_schema.{{"));
        try (DbtEngine dbt = shop.load()) {
            dbt.build(Selection.ALL);
        }
        ObjectMapper json = new ObjectMapper();
        manifest = json.readTree(shop.directory.resolve("target/manifest.json").toFile());
        runResults = json.readTree(shop.directory.resolve("target/run_results.json").toFile());
    }

    @Test
    void manifestHasTheV12TopLevelAndMetadata() {
        assertThat(keys(manifest)).isEqualTo(MANIFEST_KEYS);
        assertThat(keys(manifest.get("metadata"))).isEqualTo(MANIFEST_METADATA);
        assertThat(manifest.at("/metadata/dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/manifest/v12.json");
        assertThat(manifest.at("/metadata/project_name").asText()).isEqualTo("shop");
        assertThat(manifest.at("/metadata/adapter_type").asText()).isEqualTo("duckdb");
        assertThat(manifest.at("/metadata/generated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    }

    @Test
    void everyNodeHasItsSchemasKeysAndNoOther() {
        assertThat(manifest.get("nodes").size()).isEqualTo(23);
        for (JsonNode node : manifest.get("nodes")) {
            Set<String> allowed = new HashSet<>(NODE_REQUIRED);
            allowed.addAll(NODE_OPTIONAL);
            String type = node.get("resource_type").asText();
            switch (type) {
                case "seed" -> allowed.addAll(SEED_ONLY);
                case "model" -> {
                    allowed.addAll(COMPILED);
                    allowed.addAll(MODEL_ONLY);
                }
                case "test" -> {
                    allowed.addAll(COMPILED);
                    allowed.addAll(GENERIC_TEST_ONLY);
                }
                default -> allowed.addAll(COMPILED);
            }
            assertThat(keys(node)).as(node.get("unique_id").asText()).containsAll(NODE_REQUIRED)
                    .isSubsetOf(allowed);
            assertThat(node.at("/checksum/name").asText()).isEqualTo("sha256");
            assertThat(node.at("/checksum/checksum").asText()).hasSize(64);
            for (JsonNode hook : node.at("/config/post-hook")) {
                assertThat(keys(hook)).isEqualTo(Set.of("sql", "transaction", "index"));
            }
        }
        assertThat(manifest.at("/nodes/seed.shop.raw_payments").has("language")).isFalse();
    }

    @Test
    void nodesCarryTheirResolvedRelationsRefsAndDependencies() {
        JsonNode orders = manifest.at("/nodes/model.shop.int_order_payments");
        assertThat(orders.get("schema").asText()).isEqualTo("main_int");
        assertThat(orders.get("fqn").toString()).isEqualTo("[\"shop\",\"intermediate\",\"int_order_payments\"]");
        assertThat(orders.get("relation_name").asText()).isEqualTo("\"main_int\".\"int_order_payments\"");
        assertThat(orders.at("/depends_on/nodes").toString())
                .isEqualTo("[\"model.shop.stg_orders\",\"model.shop.int_payment_methods\"]");
        assertThat(orders.at("/refs/0").toString()).isEqualTo("{\"name\":\"stg_orders\",\"package\":null,\"version\":null}");
        assertThat(orders.get("compiled_code").asText()).startsWith("with __dbt__cte__int_payment_methods as (");
        assertThat(manifest.at("/nodes/model.shop.monthly_revenue/refs/0/package").asText()).isEqualTo("shop_utils");
        assertThat(manifest.at("/nodes/model.shop.stg_events/sources").toString()).isEqualTo("[[\"raw\",\"events\"]]");
        assertThat(manifest.at("/nodes/model.shop.customers/columns/lifetime_value/description").asText())
                .startsWith("What a customer has paid for **completed** orders");
        assertThat(manifest.at("/nodes/model.shop.stg_orders/meta/owner").asText()).isEqualTo("shop-data");
        assertThat(manifest.at("/nodes/model.shop.stg_orders/tags").toString()).isEqualTo("[\"staging\",\"orders\"]");
        assertThat(manifest.at("/nodes/model.shop.stg_orders/patch_path").asText())
                .isEqualTo("shop://models/staging/_staging.yml");
        assertThat(manifest.at("/parent_map/model.shop.stg_events").toString()).isEqualTo("[\"source.shop.raw.events\"]");
        assertThat(manifest.at("/child_map/source.shop.raw.events").toString()).isEqualTo("[\"model.shop.stg_events\"]");
        assertThat(manifest.at("/disabled/model.shop.old_orders/0/resource_type").asText()).isEqualTo("model");
        assertThat(manifest.at("/selectors/marts_only/definition/value").asText()).isEqualTo("models/marts");
        JsonNode snapshot = manifest.at("/nodes/snapshot.shop.orders_snapshot");
        assertThat(snapshot.get("schema").asText()).isEqualTo("snapshots");
        assertThat(snapshot.at("/config/strategy").asText()).isEqualTo("check");
        assertThat(snapshot.at("/depends_on/nodes").toString()).isEqualTo("[\"model.shop.stg_orders\"]");
        assertThat(snapshot.get("original_file_path").asText()).isEqualTo("snapshots/orders_snapshot.sql");
    }

    @Test
    void sourcesMacrosAndDocsHaveTheirSchemasKeys() {
        JsonNode source = manifest.at("/sources/source.shop.raw.events");
        Set<String> allowed = new HashSet<>(SOURCE_REQUIRED);
        allowed.addAll(SOURCE_OPTIONAL);
        assertThat(keys(source)).containsAll(SOURCE_REQUIRED).isSubsetOf(allowed);
        assertThat(source.get("relation_name").asText()).isEqualTo("\"raw\".\"events\"");
        assertThat(source.get("loaded_at_field").asText()).isEqualTo("happened_at");
        Set<String> macroKeys = new HashSet<>(MACRO_REQUIRED);
        macroKeys.addAll(MACRO_OPTIONAL);
        for (JsonNode macro : manifest.get("macros")) {
            assertThat(keys(macro)).containsAll(MACRO_REQUIRED).isSubsetOf(macroKeys);
        }
        assertThat(manifest.at("/macros/macro.shop.cents_to_euros/description").asText())
                .isEqualTo("Converts an amount in cents to euros, rounded.");
        assertThat(manifest.at("/macros/macro.shop_utils.duckdb__safe_divide/path").asText())
                .isEqualTo("macros/safe_divide.sql");
        assertThat(keys(manifest.at("/docs/doc.shop.lifetime_value"))).isEqualTo(DOC_KEYS);
    }

    @Test
    void runResultsFollowV6WithOneResultPerNode() {
        assertThat(keys(runResults)).isEqualTo(Set.of("metadata", "results", "elapsed_time", "args"));
        assertThat(keys(runResults.get("metadata"))).isEqualTo(Set.of("dbt_schema_version", "dbt_version",
                "generated_at", "invocation_id", "env"));
        assertThat(runResults.at("/metadata/invocation_id").asText())
                .isEqualTo(manifest.at("/metadata/invocation_id").asText());
        assertThat(runResults.get("results").size()).isEqualTo(21);
        for (JsonNode result : runResults.get("results")) {
            assertThat(keys(result)).isEqualTo(RUN_RESULT_KEYS);
            assertThat(result.get("status").asText()).isIn("success", "error", "skipped", "pass");
            for (JsonNode timing : result.get("timing")) {
                assertThat(keys(timing)).isEqualTo(Set.of("name", "started_at", "completed_at"));
            }
        }
        JsonNode orders = result("model.shop.orders");
        assertThat(orders.get("status").asText()).isEqualTo("error");
        assertThat(orders.get("message").asText()).contains("models/marts/orders.sql").contains("no_such_schema");
        assertThat(result("model.shop.customers").get("status").asText()).isEqualTo("skipped");
        JsonNode customers = result("model.shop.stg_customers");
        assertThat(customers.get("status").asText()).isEqualTo("success");
        assertThat(customers.get("relation_name").asText()).isEqualTo("\"main_stg\".\"stg_customers\"");
        assertThat(customers.at("/timing/1/name").asText()).isEqualTo("execute");
        assertThat(result("seed.shop.raw_orders").at("/adapter_response/rows_affected").asInt()).isEqualTo(7);
        assertThat(runResults.at("/args/which").asText()).isEqualTo("build");
        // The tests of the failed orders model are skipped; those of the seeds' customers run.
        JsonNode test = manifest.at("/nodes").get(manifest.at("/nodes").fieldNames().next());
        String unique = null;
        for (java.util.Iterator<String> ids = manifest.at("/nodes").fieldNames(); ids.hasNext(); ) {
            String id = ids.next();
            if (id.startsWith("test.shop.unique_orders_order_id.")) {
                unique = id;
            }
        }
        assertThat(unique).isNotNull();
        assertThat(result(unique).get("status").asText()).isEqualTo("skipped");
        JsonNode uniqueNode = manifest.at("/nodes/" + unique);
        assertThat(uniqueNode.at("/test_metadata/name").asText()).isEqualTo("unique");
        assertThat(uniqueNode.at("/test_metadata/kwargs/column_name").asText()).isEqualTo("order_id");
        assertThat(uniqueNode.get("attached_node").asText()).isEqualTo("model.shop.orders");
        assertThat(uniqueNode.get("original_file_path").asText()).isEqualTo("models/marts/_marts.yml");
        assertThat(uniqueNode.at("/config/severity").asText()).isEqualTo("ERROR");
        assertThat(test).isNotNull();
    }

    private static JsonNode result(String uniqueId) {
        for (JsonNode result : runResults.get("results")) {
            if (result.get("unique_id").asText().equals(uniqueId)) {
                return result;
            }
        }
        throw new AssertionError("no result for " + uniqueId);
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }

}
