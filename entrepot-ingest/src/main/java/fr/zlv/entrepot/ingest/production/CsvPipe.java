package fr.zlv.entrepot.ingest.production;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Moves the rows of one PostgreSQL {@code COPY ... TO STDOUT (FORMAT csv)} into DuckDB, through a named
 * pipe that DuckDB's own CSV reader reads while PostgreSQL writes: the two servers work at the same time,
 * and no row is held in memory or written to disk.
 *
 * <p>Where named pipes are missing (no {@code mkfifo}), the rows go through a temporary file instead,
 * one step after the other.
 *
 * <p>Failure on either side stops the other: if DuckDB stops reading (bad data), the writer's next write
 * fails and the COPY is cancelled; if DuckDB fails before it even opens the pipe, the pipe is opened
 * and closed once to release the writer; if PostgreSQL fails, the pipe is closed early and the error
 * is reported (the caller never keeps what was read).
 */
final class CsvPipe {

    /** Rows counted and bytes moved by one transfer. */
    record Result(long rows, long bytes, long inserted) {
    }

    private static final int BUFFER = 1 << 16;
    private static final int PROGRESS_EVERY = 10_000;

    private final ExecutorService readers;
    private final boolean namedPipes;

    CsvPipe(ExecutorService readers, boolean namedPipes) {
        this.readers = readers;
        this.namedPipes = namedPipes;
    }

    /** True when {@code mkfifo} works in {@code directory}. */
    static boolean namedPipesWork(Path directory) {
        Path probe = directory.resolve("probe.fifo");
        try {
            makeFifo(probe);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // A leftover probe in a temporary directory is harmless.
            }
        }
    }

    private static void makeFifo(Path path) throws IOException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        try {
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                throw new IOException("mkfifo failed: " + new String(mkfifo.getInputStream().readAllBytes()).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating a named pipe", e);
        }
    }

    /**
     * @param copySql   the COPY statement, run on {@code source}
     * @param insertSql makes the DuckDB INSERT that reads the CSV file whose path it is given
     * @param file      where the pipe (or temporary file) is made; removed afterwards
     * @param rows      told of rows as they pass, in batches
     */
    Result transfer(Connection source, String copySql, Connection duck, java.util.function.Function<String, String> insertSql,
                    Path file, LongConsumer rows) throws SQLException, IOException {
        try {
            return namedPipes ? throughPipe(source, copySql, duck, insertSql.apply(file.toString()), file, rows)
                    : throughFile(source, copySql, duck, insertSql.apply(file.toString()), file, rows);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Result throughPipe(Connection source, String copySql, Connection duck, String insert, Path fifo,
                               LongConsumer rows) throws SQLException, IOException {
        makeFifo(fifo);
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            try (Statement statement = duck.createStatement()) {
                return (long) statement.executeUpdate(insert);
            } catch (SQLException e) {
                releaseWriter(fifo);
                throw new ReaderFailure(e);
            }
        }, readers);
        Result written;
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(fifo.toFile()), BUFFER)) {
            written = copyInto(source, copySql, out, rows);
        } catch (IOException writeFailure) {
            // DuckDB stopped reading: its error says why.
            awaitReader(reader);
            throw writeFailure;
        } catch (SQLException | RuntimeException sourceFailure) {
            awaitQuietly(reader);
            throw sourceFailure;
        }
        long inserted = awaitReader(reader);
        return new Result(written.rows(), written.bytes(), inserted);
    }

    private Result throughFile(Connection source, String copySql, Connection duck, String insert, Path file,
                               LongConsumer rows) throws SQLException, IOException {
        Result written;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
            written = copyInto(source, copySql, out, rows);
        }
        try (Statement statement = duck.createStatement()) {
            return new Result(written.rows(), written.bytes(), statement.executeUpdate(insert));
        }
    }

    private static Result copyInto(Connection source, String copySql, OutputStream out, LongConsumer rows)
            throws SQLException, IOException {
        CopyOut copy = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql);
        long count = 0;
        long bytes = 0;
        try {
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                out.write(row);
                bytes += row.length;
                if (++count % PROGRESS_EVERY == 0) {
                    rows.accept(PROGRESS_EVERY);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
            throw e;
        }
        rows.accept(count % PROGRESS_EVERY);
        long reported = copy.getHandledRowCount();
        return new Result(reported >= 0 ? reported : count, bytes, -1);
    }

    /** Opens the pipe read-write once, so a writer waiting for a reader that will never come goes on (and fails). */
    private static void releaseWriter(Path fifo) {
        try (RandomAccessFile release = new RandomAccessFile(fifo.toFile(), "rw")) {
            release.length();
        } catch (IOException ignored) {
            // The pipe is gone: nobody is waiting on it.
        }
    }

    private static long awaitReader(CompletableFuture<Long> reader) throws SQLException {
        try {
            return reader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while DuckDB was reading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReaderFailure failure) {
                throw failure.sql;
            }
            throw new SQLException("DuckDB failed while reading: " + e.getCause(), e.getCause());
        }
    }

    private static void awaitQuietly(CompletableFuture<Long> reader) {
        try {
            reader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // The source's failure is the one to report.
        }
    }

    /** Carries DuckDB's SQLException out of the reader thread. */
    private static final class ReaderFailure extends RuntimeException {
        private final SQLException sql;

        ReaderFailure(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }
}
