package fr.zlv.entrepot.dbt.adapter;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@code run_query()} and {@code load_result()}: rows (lists of values) and columns, shaped
 * like the agate table dbt returns ({@code rows}, {@code columns[i].values()}, {@code column_names}).
 */
public final class QueryTable {

    /** A column: its name and its values, in row order. */
    public static final class TableColumn {
        private final String name;
        private final List<Object> values;

        TableColumn(String name, List<Object> values) {
            this.name = name;
            this.values = values;
        }

        public String getName() {
            return name;
        }

        public List<Object> values() {
            return values;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final List<String> columnNames;
    private final List<List<Object>> rows;

    public QueryTable(List<String> columnNames, List<List<Object>> rows) {
        this.columnNames = List.copyOf(columnNames);
        this.rows = rows;
    }

    /** How an adapter reads one value of a result: as its driver gives it, or turned into the Java types of another. */
    @FunctionalInterface
    interface ValueReader {
        Object read(ResultSet rows, ResultSetMetaData meta, int column) throws SQLException;
    }

    /** Every row of a result, its columns named by their labels, each value read by {@code values}. */
    static QueryTable read(ResultSet rows, ValueReader values) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            names.add(meta.getColumnLabel(c));
        }
        List<List<Object>> data = new ArrayList<>();
        while (rows.next()) {
            List<Object> row = new ArrayList<>(names.size());
            for (int c = 1; c <= names.size(); c++) {
                row.add(values.read(rows, meta, c));
            }
            data.add(row);
        }
        return new QueryTable(names, data);
    }

    public List<List<Object>> getRows() {
        return rows;
    }

    public List<String> getColumn_names() {
        return columnNames;
    }

    public List<TableColumn> getColumns() {
        List<TableColumn> columns = new ArrayList<>();
        for (int c = 0; c < columnNames.size(); c++) {
            List<Object> values = new ArrayList<>();
            for (List<Object> row : rows) {
                values.add(row.get(c));
            }
            columns.add(new TableColumn(columnNames.get(c), values));
        }
        return columns;
    }

    /** The first value of the first row, or null: what {@code load_result('x')['data'][0][0]} gives. */
    public Object first() {
        return rows.isEmpty() || rows.get(0).isEmpty() ? null : rows.get(0).get(0);
    }

    public int size() {
        return rows.size();
    }

    public String print_table() {
        StringBuilder out = new StringBuilder(String.join(" | ", columnNames)).append('\n');
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>();
            row.forEach(value -> cells.add(String.valueOf(value)));
            out.append(String.join(" | ", cells)).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "<table of " + rows.size() + " rows>";
    }
}
