package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written beside their target and swapped in by a rename, so a reader or a crash sees the old file or the
 * new one, never half of one; and a lock file so that one writer at a time may clean what a killed one left.
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Makes {@code temp} durable, renames it over {@code target} atomically, then makes the rename durable. */
    static void replace(Path temp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Makes a directory's entries (a rename, a new file) durable; some systems cannot, and then it is skipped. */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory: its renames are durable enough without it.
        }
    }

    /** The DuckDB write-ahead log beside a database file. */
    static Path wal(Path database) {
        return database.resolveSibling(database.getFileName() + ".wal");
    }

    /** A path as a DuckDB string literal. */
    static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind: the next writer removes leftovers under its lock.
        }
    }

    /**
     * Takes the lock file {@code lockFile} for one writer at a time, or fails naming {@code what}. The operating
     * system releases it when the process ends, even killed, so a lock never outlives its writer.
     */
    static Lock lock(Path lockFile, String what) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create the lock file " + lockFile + ": " + e.getMessage(),
                    "Check the permissions of " + lockFile.getParent() + ".", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw EntrepotException.failed("Another " + what + " is running (it holds " + lockFile + ").",
                    "Wait for it to end, then try again.", null);
        }
        return new Lock(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing releases the lock; nothing more to do.
        }
    }

    /** A held lock file; closing releases it (the file stays: an unlocked file means nothing). */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }
}
