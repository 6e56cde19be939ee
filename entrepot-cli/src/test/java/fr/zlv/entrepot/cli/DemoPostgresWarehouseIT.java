package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole warehouse on PostgreSQL: {@code entrepot demo --warehouse postgres} (the production sync, the yearly files,
 * the warehouse's dbt project, the daily job through the orchestrator, the publications) gives the marts, and the
 * published BI file, that {@code entrepot demo} gives on DuckDB from the same synthetic data.
 */
class DemoPostgresWarehouseIT {

    private static final Path JAR = Path.of("target", "entrepot.jar");
    private static final String SHIPPED = Path.of("..", "warehouse", "entrepot.yml").toString();

    private static String entrepot(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // DuckDB's settings, as a team sets them: the project's hooks must leave them out on PostgreSQL.
        builder.environment().put("DUCKDB_MEMORY_LIMIT", "2");
        builder.environment().put("DUCKDB_THREAD_NUMBER", "2");
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void theWarehouseBuiltOnPostgresqlHasTheMartsAndTheBiFileOfDuckdb(@TempDir Path directory) throws Exception {
        Path onDuckdb = directory.resolve("duckdb");
        Path onPostgres = directory.resolve("postgres");
        entrepot("demo", "--config", SHIPPED, "--workspace", onDuckdb.toString(), "--housings", "1500",
                "--database", "entrepot_it_same_duck");
        String output = entrepot("demo", "--config", SHIPPED, "--workspace", onPostgres.toString(), "--housings",
                "1500", "--database", "entrepot_it_same_pg", "--warehouse", "postgres");

        assertThat(output).contains("Step production_sync succeeded").contains("Step dbt_build succeeded")
                .contains("Step publish_bi succeeded").contains("Step publish_postgres succeeded")
                .contains("Warehouse: postgresql://");

        PostgresServer server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"),
                Path.of("target", "embedded-pg"));
        // Every mart of the DuckDB warehouse, row for row, in the PostgreSQL warehouse.
        List<String> marts;
        try (Connection duck = readOnly(onDuckdb.resolve("entrepot.duckdb"));
             Connection pg = server.connect("entrepot_it_same_pg_warehouse")) {
            marts = tables(duck, "marts");
            assertThat(tables(pg, "marts")).containsExactlyElementsOf(marts);
            assertThat(marts).hasSizeGreaterThan(10);
            for (String mart : marts) {
                assertThat(rows(pg, "marts", mart)).as("marts." + mart + " on PostgreSQL")
                        .containsExactlyElementsOf(rows(duck, "marts", mart));
            }
        }
        // The BI file published from PostgreSQL holds what the one published from DuckDB holds.
        try (Connection fromDuckdb = readOnly(onDuckdb.resolve("bi/entrepot-bi.duckdb"));
             Connection fromPostgres = readOnly(onPostgres.resolve("bi/entrepot-bi.duckdb"))) {
            TreeMap<String, List<String>> published = new TreeMap<>();
            for (String table : tables(fromDuckdb, "main")) {
                // published_at says when each was published: a moment of its own on each side.
                if (!table.equals("published_at")) {
                    published.put("main." + table, rows(fromDuckdb, "main", table));
                }
            }
            assertThat(published).hasSize(11);
            assertThat(tables(fromPostgres, "main")).containsExactlyInAnyOrderElementsOf(tables(fromDuckdb, "main"));
            published.forEach((table, rows) -> {
                String[] parts = table.split("\\.");
                try {
                    assertThat(rows(fromPostgres, parts[0], parts[1])).as(table + " in the BI file from PostgreSQL")
                            .containsExactlyElementsOf(rows);
                } catch (SQLException e) {
                    throw new AssertionError(table + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + file, properties);
    }

    private static List<String> tables(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select table_name from information_schema.tables where"
                     + " table_schema = '" + schema + "' and table_type = 'BASE TABLE' order by table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** A table's rows as text, each value written the same way whichever engine holds it, sorted. */
    private static List<String> rows(Connection connection, String schema, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select * from \"" + schema + "\".\"" + table + "\"")) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.append(meta.getColumnName(column).toLowerCase(java.util.Locale.ROOT)).append('=')
                            .append(canonical(result.getObject(column))).append(" | ");
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    /**
     * Numbers to 9 significant digits (the engines sum floating-point values in different orders), instants and dates
     * as ISO instants, lists with their elements sorted (array_agg without an order is in no order on either engine).
     */
    private static String canonical(Object value) throws SQLException {
        if (value == null) {
            return "null";
        }
        if (value instanceof Array array) {
            Object elements = array.getArray();
            List<String> items = new ArrayList<>();
            for (Object element : (Object[]) elements) {
                items.add(canonical(element));
            }
            items.sort(null);
            return items.toString();
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString()).round(new MathContext(9));
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        return value.toString();
    }
}
