package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.warehouse.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

/**
 * Moves the rows of one production {@code COPY (...) TO STDOUT (FORMAT csv)} into a PostgreSQL warehouse's
 * {@code COPY staging FROM STDIN (FORMAT csv)}: each row PostgreSQL sends is passed on as it comes, gathered in one
 * small buffer, so both servers work at the same time and a slice is never held in memory.
 *
 * <p>Failure on either side stops the other: the warehouse's COPY is aborted (its rows are not committed) and the
 * production's COPY is cancelled.
 */
final class CopyRelay {

    /** Bytes gathered before they are sent on: fewer, larger messages than one per row. */
    private static final int CHUNK = 1 << 16;
    private static final int PROGRESS_EVERY = 10_000;

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
     * @param copyOutSql the production's COPY, run on {@code source}
     * @param copyInSql  the warehouse's COPY, run on {@code warehouse} (in autocommit: its rows commit at the end)
     * @param rows       told of rows as they pass, in batches
     */
    static CsvPipe.Result transfer(Connection source, String copyOutSql, Connection warehouse, String copyInSql,
                                   LongConsumer rows) throws SQLException {
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOutSql);
        CopyIn in;
        try {
            in = warehouse.unwrap(PGConnection.class).getCopyAPI().copyIn(copyInSql);
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(out);
            throw e;
        }
        byte[] chunk = new byte[CHUNK];
        int filled = 0;
        long count = 0;
        long bytes = 0;
        try {
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                if (filled + row.length > CHUNK) {
                    in.writeToCopy(chunk, 0, filled);
                    filled = 0;
                }
                if (row.length > CHUNK) {
                    in.writeToCopy(row, 0, row.length);
                } else {
                    System.arraycopy(row, 0, chunk, filled, row.length);
                    filled += row.length;
                }
                bytes += row.length;
                if (++count % PROGRESS_EVERY == 0) {
                    rows.accept(PROGRESS_EVERY);
                }
            }
            if (filled > 0) {
                in.writeToCopy(chunk, 0, filled);
            }
            long inserted = in.endCopy();
            rows.accept(count % PROGRESS_EVERY);
            long reported = out.getHandledRowCount();
            return new CsvPipe.Result(reported >= 0 ? reported : count, bytes, inserted);
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(in);
            cancelQuietly(out);
            throw e;
        }
    }

    private static void cancelQuietly(CopyOperation copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException | RuntimeException ignored) {
            // The first failure is the one to report; the session is closed after it.
        }
    }
}
