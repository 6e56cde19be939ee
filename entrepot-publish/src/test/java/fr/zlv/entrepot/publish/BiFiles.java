package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** What the BI tests share: a little warehouse with marts, a plan, and a reader of the BI file. */
final class BiFiles {

    private BiFiles() {
    }

    static Warehouse warehouse(Path file) {
        Warehouse warehouse = Warehouse.open(new WarehouseSettings(file.toString(), null, 1, null));
        warehouse.execute("CREATE SCHEMA IF NOT EXISTS marts");
        return warehouse;
    }

    /** Rebuilds marts.marts_a and marts.marts_b with {@code rows} rows, each carrying {@code generation}. */
    static void marts(Warehouse warehouse, int generation, int rows) {
        warehouse.execute("CREATE OR REPLACE TABLE marts.marts_a AS SELECT i AS id, " + generation
                + " AS generation, 'commune ' || i AS label FROM range(" + rows + ") t(i)");
        warehouse.execute("CREATE OR REPLACE TABLE marts.marts_b AS SELECT i AS id, " + generation
                + " AS generation, i * 1.5 AS amount FROM range(" + rows + ") t(i)");
    }

    static PublishPlan plan(Path directory, String... marts) {
        List<PublishedTable> tables = new ArrayList<>();
        for (String mart : marts) {
            tables.add(new PublishedTable(mart, mart.replace("marts_", ""), false));
        }
        return new PublishPlan(directory.resolve("publish.yml"), "marts", tables);
    }

    /** Opens the BI file as a BI tool does: read-only. */
    static Connection reader(Path biFile) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + biFile, properties);
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
