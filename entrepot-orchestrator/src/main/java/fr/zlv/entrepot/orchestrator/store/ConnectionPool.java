package fr.zlv.entrepot.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few JDBC connections shared by the threads of one store: at most {@code size} in use at once, opened when
 * first needed, kept open between uses. A connection idle for a while is checked before reuse (a server may have
 * restarted since), and one that failed is closed instead of being handed out again.
 */
final class ConnectionPool implements AutoCloseable {

    /** Opens one connection, ready to use (settings applied). */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);
    private static final long WAIT_SECONDS = 60;
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Idle(Connection connection, long sinceNanos) {
    }

    private final Opener opener;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(Opener opener, int size) {
        this.opener = opener;
        this.permits = new Semaphore(size, true);
    }

    /** A connection for this thread alone until {@link #release}; waits while all are in use. */
    Connection borrow() throws SQLException {
        try {
            if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new SQLException("no connection to the run store came free in " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection to the run store", e);
        }
        try {
            Connection connection = reuse();
            return connection != null ? connection : opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives a connection back; {@code broken} (it failed) closes it rather than keep it. */
    void release(Connection connection, boolean broken) {
        boolean keep = !broken;
        synchronized (idle) {
            if (closed) {
                keep = false;
            }
            if (keep) {
                idle.push(new Idle(connection, System.nanoTime()));
            }
        }
        if (!keep) {
            closeQuietly(connection);
        }
        permits.release();
    }

    private Connection reuse() throws SQLException {
        while (true) {
            Idle candidate;
            synchronized (idle) {
                if (closed) {
                    throw new SQLException("the run store is closed");
                }
                candidate = idle.poll();
            }
            if (candidate == null) {
                return null;
            }
            boolean fresh = System.nanoTime() - candidate.sinceNanos() < CHECK_AFTER_IDLE_NANOS;
            if (fresh || candidate.connection().isValid(5)) {
                return candidate.connection();
            }
            LOG.debug("Dropping a run store connection that no longer answers");
            closeQuietly(candidate.connection());
        }
    }

    /** Closes the idle connections now, and the others as they come back. */
    @Override
    public void close() {
        Deque<Idle> toClose;
        synchronized (idle) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(entry -> closeQuietly(entry.connection()));
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a run store connection failed: {}", e.getMessage());
        }
    }
}
