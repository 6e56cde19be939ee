package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each form of dbt's node selection, on the shop project's graph (parsed once, nothing built). */
class SelectionTest {

    @TempDir
    static Path temporary;

    private static DbtEngine dbt;

    @BeforeAll
    static void parse() {
        dbt = ShopProject.copyTo(temporary).load();
    }

    @AfterAll
    static void close() {
        dbt.close();
    }

    private static List<String> names(String... select) {
        return names(new Selection(List.of(select), List.of(), null));
    }

    /** The selected resources but data tests (which come along with their models: see the last test). */
    private static List<String> names(Selection selection) {
        return dbt.list(selection, Set.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT,
                ResourceType.ANALYSIS, ResourceType.SOURCE), "name").stream().sorted().toList();
    }

    @Test
    void selectingAModelSelectsItsTestsToo() {
        assertThat(dbt.list(Selection.of("orders"), Set.of(ResourceType.TEST), "name")).containsExactlyInAnyOrder(
                "unique_orders_order_id", "accepted_values_orders_status__placed__completed__returned",
                "relationships_orders_customer_id__customer_id__ref_customers_");
        assertThat(dbt.list(new Selection(List.of("orders"), List.of("test_name:relationships"), null),
                Set.of(ResourceType.TEST), "name")).hasSize(2);
    }

    @Test
    void indirectSelectionDecidesWhichTestsComeAlong() {
        String relationship = "relationships_orders_customer_id__customer_id__ref_customers_";
        Selection orders = Selection.of("orders");
        Selection ordersAndCustomers = Selection.of("orders", "customers");
        // Eager (the default): the relationship comes with orders alone, its other parent (customers) unselected.
        assertThat(tests(orders)).contains(relationship).hasSize(3);
        // Cautious: only when both parents are selected.
        assertThat(tests(orders.withIndirect(DbtEngine.IndirectSelection.CAUTIOUS)))
                .containsExactlyInAnyOrder("unique_orders_order_id",
                        "accepted_values_orders_status__placed__completed__returned");
        assertThat(tests(ordersAndCustomers.withIndirect(DbtEngine.IndirectSelection.CAUTIOUS))).contains(relationship);
        // Buildable: each parent selected or upstream of a selected node; customers is neither for orders alone.
        assertThat(tests(orders.withIndirect(DbtEngine.IndirectSelection.BUILDABLE))).doesNotContain(relationship);
        assertThat(tests(Selection.of("stg_orders").withIndirect(DbtEngine.IndirectSelection.BUILDABLE)))
                .isEqualTo(tests(Selection.of("stg_orders").withIndirect(DbtEngine.IndirectSelection.CAUTIOUS)));
        assertThat(tests(ordersAndCustomers.withIndirect(DbtEngine.IndirectSelection.BUILDABLE)))
                .contains(relationship);
        // Empty: no test comes along, a test selected by name stays.
        assertThat(tests(ordersAndCustomers.withIndirect(DbtEngine.IndirectSelection.EMPTY))).isEmpty();
        assertThat(tests(Selection.of("orders", "test_name:unique").withIndirect(DbtEngine.IndirectSelection.EMPTY)))
                .contains("unique_orders_order_id");
        assertThatThrownBy(() -> DbtEngine.IndirectSelection.parse("careful"))
                .hasMessageContaining("Unknown indirect selection 'careful'");
    }

    private static List<String> tests(Selection selection) {
        return dbt.list(selection, Set.of(ResourceType.TEST), "name");
    }

    @Test
    void aNameSelectsThatNode() {
        assertThat(names("stg_orders")).containsExactly("stg_orders");
    }

    @Test
    void plusBeforeSelectsAncestorsAndANumberLimitsTheDepth() {
        assertThat(names("+orders")).containsExactly("int_order_payments", "int_payment_methods", "orders",
                "raw_orders", "raw_payments", "stg_orders", "stg_payments");
        assertThat(names("1+orders")).containsExactly("int_order_payments", "orders");
        assertThat(names("2+orders")).containsExactly("int_order_payments", "int_payment_methods", "orders",
                "stg_orders");
    }

    @Test
    void plusAfterSelectsDescendantsAndANumberLimitsTheDepth() {
        assertThat(names("orders+")).containsExactly("customers", "daily_revenue", "monthly_revenue", "orders",
                "revenue_by_city");
        assertThat(names("stg_orders+1")).containsExactly("int_order_payments", "orders_snapshot", "stg_orders");
    }

    @Test
    void atSelectsDescendantsAndTheirAncestors() {
        assertThat(names("@int_order_payments")).contains("int_order_payments", "orders", "customers",
                "stg_customers", "raw_customers", "utils_months", "stg_orders").doesNotContain("stg_events",
                "order_events");
    }

    @Test
    void methodsSelectByTagPathConfigSourceTypeAndPackage() {
        assertThat(names("tag:orders")).containsExactly("stg_orders");
        assertThat(names("tag:finance")).containsExactly("orders");
        assertThat(names("path:models/staging")).containsExactly("raw.events", "stg_customers", "stg_events",
                "stg_orders", "stg_payments");
        assertThat(names("models/intermediate")).containsExactly("int_order_payments", "int_payment_methods");
        assertThat(names("config.materialized:incremental")).containsExactly("daily_revenue", "event_log",
                "order_events");
        assertThat(names("config.materialized:audited_table")).containsExactly("monthly_revenue");
        assertThat(names("source:raw")).containsExactly("raw.events");
        assertThat(names("source:raw.events+")).containsExactly("event_log", "order_events", "raw.events",
                "stg_events");
        assertThat(names("resource_type:seed")).containsExactly("raw_customers", "raw_orders", "raw_payments");
        assertThat(names("package:shop_utils")).containsExactly("utils_months");
        assertThat(names("resource_type:analysis")).containsExactly("revenue_by_city");
        assertThat(names("resource_type:snapshot")).containsExactly("orders_snapshot");
    }

    @Test
    void fqnWildcardsMatchNamesAndFolders() {
        assertThat(names("stg_*")).containsExactly("stg_customers", "stg_events", "stg_orders", "stg_payments");
        assertThat(names("shop.marts.*")).containsExactly("customers", "daily_revenue", "event_log",
                "monthly_revenue", "order_events", "orders");
        assertThat(names("intermediate")).containsExactly("int_order_payments", "int_payment_methods");
    }

    @Test
    void spacesUniteAndCommasIntersect() {
        assertThat(names("tag:orders tag:finance")).containsExactly("orders", "stg_orders");
        assertThat(names("tag:orders", "tag:finance")).containsExactly("orders", "stg_orders");
        assertThat(names("tag:marts,config.materialized:incremental")).containsExactly("daily_revenue", "event_log",
                "order_events");
        assertThat(names("+customers,tag:staging")).containsExactly("stg_customers", "stg_orders", "stg_payments");
    }

    @Test
    void excludeRemovesFromTheSelection() {
        assertThat(names(new Selection(List.of("tag:marts"), List.of("config.materialized:incremental orders"),
                null))).containsExactly("customers", "monthly_revenue");
    }

    @Test
    void selectorsComeFromSelectorsYml() {
        assertThat(names(new Selection(List.of(), List.of(), "marts_only"))).containsExactly("customers",
                "daily_revenue", "event_log", "monthly_revenue", "order_events", "orders");
        assertThat(names(new Selection(List.of(), List.of(), "orders_upstream_models"))).containsExactly(
                "int_order_payments", "int_payment_methods", "orders", "stg_orders", "stg_payments");
        assertThatThrownBy(() -> names(new Selection(List.of(), List.of(), "nightly")))
                .hasMessageContaining("No selector named 'nightly'")
                .satisfies(e -> assertThat(((DbtException) e).hint()).contains("marts_only", "orders_upstream_models"));
    }

    @Test
    void disabledModelsAreNeverSelected() {
        assertThat(names("old_orders")).isEmpty();
        assertThat(dbt.project().manifest().disabled()).containsKey("model.shop.old_orders");
    }

    @Test
    void commandsKeepOnlyTheirResourceTypesInDependencyOrder() {
        List<String> order = dbt.selected(Selection.of("+customers"), Set.of(ResourceType.MODEL, ResourceType.SEED))
                .stream().map(node -> node.name()).toList();
        assertThat(order).doesNotContain("revenue_by_city");
        assertThat(order.indexOf("raw_orders")).isLessThan(order.indexOf("stg_orders"));
        assertThat(order.indexOf("stg_orders")).isLessThan(order.indexOf("int_order_payments"));
        assertThat(order.indexOf("orders")).isLessThan(order.indexOf("customers"));
        assertThat(order.get(order.size() - 1)).isEqualTo("customers");
    }

    @Test
    void anUnknownMethodIsAClearError() {
        assertThatThrownBy(() -> names("colour:red")).hasMessageContaining("Unknown selector method 'colour'");
    }
}
