package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole warehouse as files: {@code EXPORT DATABASE} (schema, then each table as Parquet) into a new dated
 * directory, and {@code IMPORT DATABASE} of such a directory into a new warehouse file. Both are written under a
 * temporary name and renamed when complete, so a directory or file with its final name is always whole. The
 * export reads one snapshot of the warehouse (one statement, one transaction).
 */
public final class DatabaseExport {

    /** The target's name in reports and on the command line. */
    public static final String TARGET = "export";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseExport.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final Pattern LEFTOVER = Pattern.compile(".+-\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.tmp");

    private final Clock clock;

    public DatabaseExport() {
        this(Clock.systemUTC());
    }

    public DatabaseExport(Clock clock) {
        this.clock = clock;
    }

    /** Exports the warehouse into a new directory {@code <directory>/<warehouse>-<UTC time>}; the report gives it. */
    public PublicationReport export(Warehouse warehouse, Path directory) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        String stem = warehouse.path().map(path -> path.getFileName().toString().replaceFirst("\\.[^.]*$", ""))
                .orElse("memory");
        Path parent = directory.toAbsolutePath();
        Path target = parent.resolve(stem + "-" + STAMP.format(now));
        Path temp = parent.resolve(target.getFileName() + ".tmp");
        if (Files.exists(target)) {
            throw EntrepotException.badInput("The export directory " + target + " already exists.",
                    "Exports are named by the second they start: wait a second, or move it away.");
        }
        boolean renamed = false;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create the export directory " + parent + ": " + e.getMessage(),
                    "Check publish.export_directory and its permissions.", e);
        }
        try (AtomicFiles.Lock lock = AtomicFiles.lock(parent.resolve(".exports.lock"), "export into " + parent)) {
            removeLeftovers(parent);
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
                statement.execute("EXPORT DATABASE " + AtomicFiles.literal(temp) + " (FORMAT parquet)");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(parent);
            renamed = true;
            long bytes;
            try (Stream<Path> files = Files.walk(target)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(DatabaseExport::size).sum();
            }
            LOG.info("Exported the warehouse {} to {} ({} bytes)", warehouse.location(), target, bytes);
            return new PublicationReport(TARGET, target.toString(), STAMP.format(now), List.of(), bytes,
                    (System.nanoTime() - started) / 1e9, null);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot export the warehouse " + warehouse.location() + " to " + target
                    + ": " + e.getMessage(), "Check the disk space; earlier exports are untouched.", e);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write the export " + target + ": " + e.getMessage(),
                    "Check publish.export_directory, the disk space and the permissions.", e);
        } finally {
            if (!renamed) {
                deleteTreeQuietly(temp);
            }
        }
    }

    /**
     * Builds a new warehouse file from an export directory. Refuses to overwrite an existing file: replacing the
     * warehouse is what {@code restore} does.
     */
    public void importInto(Path exportDirectory, Path newWarehouseFile) {
        Path source = exportDirectory.toAbsolutePath();
        Path target = newWarehouseFile.toAbsolutePath();
        if (!Files.isRegularFile(source.resolve("schema.sql")) || !Files.isRegularFile(source.resolve("load.sql"))) {
            throw EntrepotException.badInput(source + " is not a database export (it has no schema.sql and load.sql).",
                    "Give a directory written by `entrepot publish --target export` (EXPORT DATABASE).");
        }
        if (Files.exists(target)) {
            throw EntrepotException.badInput("The warehouse file " + target + " already exists; importing would"
                    + " overwrite it.", "Import into a new file, then point warehouse.path to it.");
        }
        Path temp = target.resolveSibling(target.getFileName() + ".import.tmp");
        boolean renamed = false;
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.deleteQuietly(temp);
            AtomicFiles.deleteQuietly(AtomicFiles.wal(temp));
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + temp);
                 Statement statement = connection.createStatement()) {
                statement.execute("IMPORT DATABASE " + AtomicFiles.literal(source));
                statement.execute("CHECKPOINT");
            }
            AtomicFiles.replace(temp, target);
            renamed = true;
            LOG.info("Imported {} into the new warehouse {}", source, target);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot import " + source + " into " + target + ": " + e.getMessage(),
                    "Check that the export is complete and was written by this DuckDB version or an older one.", e);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write the warehouse " + target + ": " + e.getMessage(),
                    "Check the disk space and the permissions of " + target.getParent() + ".", e);
        } finally {
            if (!renamed) {
                AtomicFiles.deleteQuietly(temp);
                AtomicFiles.deleteQuietly(AtomicFiles.wal(temp));
            }
        }
    }

    /** Removes the directories of exports that were killed; the lock says none is running. */
    private static void removeLeftovers(Path parent) throws IOException {
        try (Stream<Path> files = Files.list(parent)) {
            for (Path leftover : files.filter(f -> LEFTOVER.matcher(f.getFileName().toString()).matches()).toList()) {
                LOG.info("Removing {}, left by an export that did not finish", leftover);
                deleteTree(leftover);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static void deleteTreeQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            LOG.warn("Cannot remove the unfinished export {}: {}", root, e.getMessage());
        }
    }
}
