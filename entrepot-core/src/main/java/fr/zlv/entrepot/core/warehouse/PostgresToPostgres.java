package fr.zlv.entrepot.core.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

/**
 * Moves rows between two PostgreSQL servers: one server's {@code COPY (...) TO STDOUT} passed on, row by row as it
 * comes, to the other's {@code COPY ... FROM STDIN}, gathered in one small buffer. Both servers work at the same time
 * and no table is ever held in memory. Used by the production sync into a PostgreSQL warehouse and by the serving
 * schema published from one.
 *
 * <p>A failure on either side stops the other: the receiving COPY is aborted (none of its rows are kept) and the
 * sending COPY is cancelled; the first error is the one thrown.
 */
public final class PostgresToPostgres {

    /** Bytes gathered before they are sent on: fewer, larger messages than one per row. */
    private static final int CHUNK = 1 << 16;
    private static final int PROGRESS_EVERY = 10_000;

    /** What went through: the rows the source sent, their bytes, the rows the target took. */
    public record Transfer(long rowsSent, long bytes, long rowsReceived) {
    }

    private PostgresToPostgres() {
    }

    /**
     * @param copyOutSql the COPY TO STDOUT, run on {@code source}
     * @param copyInSql  the COPY FROM STDIN, run on {@code target} (its rows commit with the target's transaction)
     * @param rowsPassed told of rows as they pass, in batches (for progress bars)
     */
    public static Transfer relay(Connection source, String copyOutSql, Connection target, String copyInSql,
                                 LongConsumer rowsPassed) throws SQLException {
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOutSql);
        CopyIn in;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(copyInSql);
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
                    rowsPassed.accept(PROGRESS_EVERY);
                }
            }
            if (filled > 0) {
                in.writeToCopy(chunk, 0, filled);
            }
            long received = in.endCopy();
            rowsPassed.accept(count % PROGRESS_EVERY);
            long reported = out.getHandledRowCount();
            return new Transfer(reported >= 0 ? reported : count, bytes, received);
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
