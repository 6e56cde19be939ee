package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop project on a real PostgreSQL (a fresh database per test, dropped after): the same rows as on
 * DuckDB for every relation it builds, table swaps, incremental strategies, snapshots, seeds, tests and errors.
 */
class ShopPostgresIT {

    /** The snapshot's columns that hold the time of the run, which differs between two builds. */
    private static final Set<String> RUN_TIME_COLUMNS = Set.of("dbt_scd_id", "dbt_updated_at", "dbt_valid_from",
            "dbt_valid_to");

    /** What the marts' post-hooks and the custom materialization record. */
    private static final String AUDIT = "select model, row_count from main.build_audit order by 1";

    @TempDir
    Path temporary;
    private TestPostgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("shop_it");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void theShopGivesTheSameRowsOnPostgresqlAsOnDuckdb() {
        ShopProject onDuckDb = ShopProject.copy("shop", temporary.resolve("duckdb"));
        ShopProject onPostgres = ShopProject.copy("shop", temporary.resolve("postgres"));
        Map<String, List<List<String>>> duckRows;
        List<List<String>> duckAudit;
        try (DbtEngine dbt = onDuckDb.load()) {
            assertThat(dbt.build(Selection.ALL).exitCode()).as(onDuckDb.output()).isZero();
            duckRows = everyRelation(dbt);
            duckAudit = normalised(dbt, AUDIT);
        }
        try (DbtEngine dbt = DbtEngine.load(onPostgres.onPostgres(database))) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);

            assertThat(result.exitCode()).as(onPostgres.output()).isZero();
            assertThat(result.results()).hasSize(21).allMatch(r -> r.status() == NodeResult.Status.SUCCESS
                    || r.status() == NodeResult.Status.PASS);
            Map<String, List<List<String>>> pgRows = everyRelation(dbt);
            // 3 seeds, 12 models that are not ephemeral (one of the package), 1 snapshot: each compared, columns and rows.
            assertThat(pgRows.keySet()).hasSize(16).containsExactlyElementsOf(duckRows.keySet());
            for (String relation : duckRows.keySet()) {
                assertThat(pgRows.get(relation)).as(relation).hasSizeGreaterThan(1).isEqualTo(duckRows.get(relation));
            }
            // The hooks ran on PostgreSQL too: each mart's post-hook, the custom materialization, on-run-end.
            assertThat(normalised(dbt, AUDIT)).hasSize(7).contains(List.of("monthly_revenue:audited", "3"))
                    .isEqualTo(duckAudit);
            assertThat(normalised(dbt, "select nodes, failures from main.run_log")).containsExactly(List.of("21", "0"));
        }
        assertThat(onPostgres.output()).contains("Done. PASS=21 WARN=0 ERROR=0 SKIP=0 TOTAL=21");
        // The engine-specific SQL went through dispatch: PostgreSQL's month spine and safe_divide.
        assertThat(onPostgres.read("target/compiled/shop_utils/models/utils_months.sql")).contains("generate_series(0, 3 - 1)");
        assertThat(onPostgres.read("target/run/shop/models/marts/orders.sql"))
                .contains("drop table if exists \"" + database.name() + "\".\"main_marts\".\"orders__dbt_tmp\"")
                .contains("create table \"" + database.name() + "\".\"main_marts\".\"orders__dbt_tmp\" as (");
    }

    /** The rows of every relation the project builds (models that are not ephemeral, seeds, snapshots), sorted. */
    private static Map<String, List<List<String>>> everyRelation(DbtEngine dbt) {
        Map<String, List<List<String>>> rows = new LinkedHashMap<>();
        List<Node> nodes = dbt.project().manifest().nodes().values().stream()
                .filter(node -> Set.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT).contains(node.type())
                        && !node.isEphemeral())
                .sorted(Comparator.comparing(Node::uniqueId)).toList();
        for (Node node : nodes) {
            String relation = "\"" + node.schema() + "\".\"" + node.alias() + "\"";
            List<String> columns = dbt.adapter().columns(new fr.zlv.entrepot.dbt.adapter.Relation(null, node.schema(),
                    node.alias(), "table")).stream().map(column -> column.getName())
                    .filter(name -> !RUN_TIME_COLUMNS.contains(name)).toList();
            List<List<String>> table = new ArrayList<>();
            table.add(columns);
            table.addAll(normalised(dbt, "select " + columns.stream().map(name -> "\"" + name + "\"")
                    .collect(Collectors.joining(", ")) + " from " + relation).stream()
                    .sorted(Comparator.comparing(Object::toString)).toList());
            rows.put(node.uniqueId(), table);
        }
        return rows;
    }

    /** Rows with each value as text both engines agree on: numbers without trailing zeros, ISO dates and times. */
    static List<List<String>> normalised(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows().stream()
                .map(row -> row.stream().map(ShopPostgresIT::text).toList()).toList();
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString()).stripTrailingZeros();
            return decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime) {
            return value.toString();
        }
        return value.toString();
    }

    static List<List<Object>> rows(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows().stream()
                .map(row -> Arrays.asList(row.stream().map(value -> value instanceof BigDecimal decimal
                        ? decimal.toPlainString() : value).toArray())).toList();
    }
}
