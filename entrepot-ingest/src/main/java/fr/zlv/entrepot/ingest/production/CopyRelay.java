package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.warehouse.PostgresToPostgres;
import fr.zlv.entrepot.core.warehouse.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;

/**
 * The production sync into a PostgreSQL warehouse: each slice's production {@code COPY (...) TO STDOUT (FORMAT csv)}
 * relayed into the warehouse's {@code COPY staging FROM STDIN (FORMAT csv)} by {@link PostgresToPostgres}, on warehouse
 * sessions set up to read the values as the production sessions write them.
 */
final class CopyRelay {

    private CopyRelay() {
    }

    /**
     * Sets up a warehouse session for COPY FROM: values parsed the way the production sessions write them
     * ({@link ProductionConnections#SESSION_OPTIONS}), and commits that do not wait for the disk, since they only fill
     * staging tables (the swap's own commit waits, and with it every earlier write).
     */
    static void prepare(Connection warehouse) throws SQLException {
        try (Statement statement = warehouse.createStatement()) {
            statement.execute("SET synchronous_commit = off");
            statement.execute("SET DateStyle = 'ISO, YMD'");
            statement.execute("SET IntervalStyle = 'postgres'");
            statement.execute("SET lc_monetary = 'C'");
        }
    }

    /** The warehouse's COPY statement for a table's staging table, its columns named. */
    static String copyInSql(SourceTable table, String staging) {
        StringBuilder columns = new StringBuilder();
        for (ColumnMapping mapping : table.mappings()) {
            columns.append(columns.isEmpty() ? "" : ", ").append(TableName.quote(mapping.column().name()));
        }
        return "COPY " + staging + " (" + columns + ") FROM STDIN (FORMAT csv)";
    }

    /**
     * Relays one slice ({@link PostgresToPostgres#relay}).
     *
     * @param copyOutSql the production's COPY, run on {@code source}
     * @param copyInSql  the warehouse's COPY, run on {@code warehouse} (in autocommit: its rows commit at the end)
     * @param rows       told of rows as they pass, in batches
     */
    static CsvPipe.Result transfer(Connection source, String copyOutSql, Connection warehouse, String copyInSql,
                                   LongConsumer rows) throws SQLException {
        PostgresToPostgres.Transfer transfer = PostgresToPostgres.relay(source, copyOutSql, warehouse, copyInSql, rows);
        return new CsvPipe.Result(transfer.rowsSent(), transfer.bytes(), transfer.rowsReceived());
    }
}
