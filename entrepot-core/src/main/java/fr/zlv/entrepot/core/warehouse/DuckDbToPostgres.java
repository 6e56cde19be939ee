package fr.zlv.entrepot.core.warehouse;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Copies a DuckDB table into a new PostgreSQL table: the columns mapped by {@link PostgresColumn}, the rows streamed
 * from DuckDB's result into PostgreSQL's {@code COPY FROM STDIN} through {@link CopyTextWriter}'s fixed buffer, so
 * no table is held in memory whatever its size.
 */
public final class DuckDbToPostgres {

    private DuckDbToPostgres() {
    }

    /** The columns of a DuckDB table, in order, as PostgreSQL will have them (same names). */
    public static List<PostgresColumn> columnsOf(Connection duck, TableName table) throws SQLException {
        List<PostgresColumn> columns = new ArrayList<>();
        try (var query = duck.prepareStatement("SELECT column_name, data_type FROM duckdb_columns()"
                + " WHERE schema_name = ? AND table_name = ? ORDER BY column_index")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(PostgresColumn.of(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return columns;
    }

    /**
     * Creates {@code target} in PostgreSQL (dropping a leftover of that name) and fills it with the rows of the DuckDB
     * table {@code source}; {@code pg} must not be in auto-commit: the table is created and filled in the caller's
     * transaction, which lets COPY write the rows frozen. Returns the rows copied.
     */
    public static long copy(Connection duck, TableName source, List<PostgresColumn> columns, Connection pg,
                            TableName target) throws SQLException {
        try (Statement statement = pg.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + target.sql());
            statement.execute("CREATE TABLE " + target.sql() + " (" + columns.stream().map(PostgresColumn::definition)
                    .collect(Collectors.joining(", ")) + ")");
        }
        long[] copied = copyRows(duck, source, columns, pg, target);
        return copied[0];
    }

    /**
     * Streams the rows of the DuckDB table {@code source} into the existing PostgreSQL table {@code target} with
     * {@code COPY FROM STDIN WITH (FREEZE)}: DuckDB's result read chunk by chunk, each value written as COPY text into
     * {@link CopyTextWriter}'s fixed buffer, sent as it fills while PostgreSQL parses in its own process. The target
     * must have been created in {@code pg}'s current transaction (FREEZE). Returns {rows, bytes sent}.
     */
    public static long[] copyRows(Connection duck, TableName source, List<PostgresColumn> columns, Connection pg,
                                  TableName target) throws SQLException {
        String select = "SELECT " + columns.stream().map(PostgresColumn::expression).collect(Collectors.joining(", "))
                + " FROM " + source.sql();
        // FREEZE: the table was created in this transaction, so its rows can be written frozen, sparing readers and
        // vacuum the rewrite that would otherwise follow.
        String copySql = "COPY " + target.sql() + " (" + columns.stream().map(column -> TableName.quote(column.name()))
                .collect(Collectors.joining(", ")) + ") FROM STDIN WITH (FREEZE)";
        PostgresColumn[] mapped = columns.toArray(new PostgresColumn[0]);
        streamResults(duck);
        try (Statement query = duck.createStatement(); ResultSet rows = query.executeQuery(select)) {
            CopyIn copy = pg.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            CopyTextWriter writer = new CopyTextWriter(copy);
            try {
                long count = 0;
                while (rows.next()) {
                    for (int i = 0; i < mapped.length; i++) {
                        if (mapped[i].array()) {
                            Array array = rows.getArray(i + 1);
                            writer.arrayField(array == null ? null : (Object[]) array.getArray());
                        } else {
                            writer.field(mapped[i].text(rows, i + 1));
                        }
                    }
                    writer.endRow();
                    count++;
                }
                writer.flush();
                long copied = copy.endCopy();
                if (copied != count) {
                    throw new SQLException("PostgreSQL took " + copied + " rows of the " + count + " sent to " + target);
                }
                return new long[] {count, writer.bytes()};
            } finally {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException ignored) {
                        // The transaction is rolled back by the caller anyway.
                    }
                }
            }
        }
    }

    /**
     * Lets DuckDB hand the rows over chunk by chunk as it produces them: without it, the JDBC driver materialises the
     * whole result in native memory before the first row.
     */
    private static void streamResults(Connection duck) {
        // A statement of its own: DuckDB's driver closes a statement whose command failed.
        try (Statement statement = duck.createStatement()) {
            statement.execute("SET SESSION jdbc_stream_results = true");
        } catch (SQLException ignored) {
            // An older driver: the copy reads materialised results.
        }
    }
}
