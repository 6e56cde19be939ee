package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of the warehouse in a directory (one directory per warehouse), named with their UTC date and time
 * ({@code entrepot-2026-11-30T021500Z.duckdb}), with retention, and their restoration.
 *
 * <p>A backup is made by {@code COPY FROM DATABASE} from the warehouse into a new file, in one transaction: it is
 * the warehouse as one snapshot, even while other connections of the process write, and it is compact (no free
 * blocks). Copying the file after a CHECKPOINT would be faster but is consistent only if nothing writes during
 * the copy, which nothing here can guarantee. Retention keeps the newest backup of each of the {@code keepDaily}
 * newest days that have one, and the first backup of each of the {@code keepMonthly} newest months that have one;
 * the others are deleted. Counting days and months that have backups (not calendar days before now) means a pause
 * in the backups never deletes the last ones.
 */
public final class Backups {

    /** The target's name in reports and on the command line. */
    public static final String TARGET = "backup";
    /** The name that {@link #restore} takes for the newest backup. */
    public static final String LATEST = "latest";

    /** A backup: its name (the file name without {@code .duckdb}), file, time and size. */
    public record Backup(String name, Path file, Instant takenAt, long bytes) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    private static final String SUFFIX = ".duckdb";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("(.+)-(\\d{4}-\\d{2}-\\d{2}T\\d{6}Z)\\.duckdb");

    private final Path directory;
    private final int keepDaily;
    private final int keepMonthly;

    public Backups(Path directory, int keepDaily, int keepMonthly) {
        if (keepDaily < 1 || keepMonthly < 0) {
            throw EntrepotException.badInput("Backups keep at least 1 daily and 0 monthly backups, not " + keepDaily
                    + " and " + keepMonthly + ".", "Set publish.keep_daily to 1 or more, publish.keep_monthly to 0 or more.");
        }
        this.directory = directory.toAbsolutePath();
        this.keepDaily = keepDaily;
        this.keepMonthly = keepMonthly;
    }

    /** Backs up an open warehouse (the process that owns it), then applies retention. */
    public Backup backup(Warehouse warehouse, Instant now) {
        DuckdbOnly.require(warehouse, TARGET, "a copy of the warehouse file", DuckdbOnly.POSTGRES_BACKUP_HINT);
        String stem = warehouse.path().map(Backups::stem).orElse("memory");
        try (Connection connection = warehouse.connect()) {
            String source = DuckStatements.string(connection, "SELECT current_database()");
            return write(connection, TableName.quote(source), stem, now, warehouse.location());
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot back up the warehouse " + warehouse.location() + ": "
                    + e.getMessage(), "Nothing was deleted; the previous backups are as they were.", e);
        }
    }

    /** Backs up a warehouse file that no process holds for writing, then applies retention. */
    public Backup backup(Path warehouseFile, Instant now) {
        Path file = warehouseFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw EntrepotException.badInput("There is no warehouse file " + file + " to back up.",
                    "Check warehouse.path in the settings.");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            try {
                DuckStatements.execute(connection, "ATTACH " + AtomicFiles.literal(file) + " AS backup_source (READ_ONLY)");
            } catch (SQLException e) {
                throw EntrepotException.failed("Cannot open the warehouse " + file + " to back it up: "
                        + e.getMessage(), e.getMessage().contains("lock")
                        ? "Another process writes to it: back it up from that process (the backup asset), or stop it."
                        : "Check that it is a DuckDB file.", e);
            }
            return write(connection, "backup_source", stem(file), now, file.toString());
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot back up the warehouse " + file + ": " + e.getMessage(),
                    "Nothing was deleted; the previous backups are as they were.", e);
        }
    }

    /** Copies the attached database {@code source} into a new backup file, swaps it in, applies retention. */
    private Backup write(Connection connection, String source, String stem, Instant now, String what)
            throws SQLException {
        createDirectory();
        Path target = directory.resolve(stem + "-" + STAMP.format(now) + SUFFIX);
        Path temp = directory.resolve(target.getFileName() + ".tmp");
        try (AtomicFiles.Lock lock = AtomicFiles.lock(directory.resolve(".backups.lock"), "backup into " + directory)) {
            removeLeftovers();
            String alias = "entrepot_backup_" + UUID.randomUUID().toString().substring(0, 8);
            boolean swapped = false;
            try {
                DuckStatements.execute(connection, "ATTACH " + AtomicFiles.literal(temp) + " AS " + alias);
                try {
                    // One transaction: the copy is one snapshot of the warehouse.
                    DuckStatements.execute(connection, "BEGIN TRANSACTION");
                    DuckStatements.execute(connection, "COPY FROM DATABASE " + source + " TO " + alias);
                    DuckStatements.execute(connection, "COMMIT");
                    DuckStatements.execute(connection, "CHECKPOINT " + alias);
                } catch (SQLException e) {
                    rollbackQuietly(connection);
                    throw e;
                } finally {
                    BiFilePublisher.detach(connection, alias);
                }
                AtomicFiles.replace(temp, target);
                swapped = true;
            } catch (IOException e) {
                throw EntrepotException.failed("Cannot write the backup " + target + ": " + e.getMessage(),
                        "Check the disk space and the permissions of " + directory + ".", e);
            } finally {
                if (!swapped) {
                    AtomicFiles.deleteQuietly(temp);
                    AtomicFiles.deleteQuietly(AtomicFiles.wal(temp));
                }
            }
            Backup backup = read(target).orElseThrow();
            LOG.info("Backed up {} to {} ({} bytes)", what, target, backup.bytes());
            applyRetention();
            return backup;
        }
    }

    /** The backups in the directory, newest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(Backups::read).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Backup::takenAt).reversed().thenComparing(Backup::name))
                    .toList();
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot list the backups in " + directory + ": " + e.getMessage(),
                    "Check publish.backup_directory and its permissions.", e);
        }
    }

    /**
     * Replaces {@code warehouseFile} with the backup {@code name} ({@link #LATEST} for the newest), atomically:
     * the backup is copied beside it, checked, then renamed over it. Refuses while another process holds the
     * warehouse; the caller must not hold it open either.
     */
    public Backup restore(String name, Path warehouseFile) {
        Backup backup = find(name);
        Path target = warehouseFile.toAbsolutePath();
        Path temp = target.resolveSibling(target.getFileName() + ".restore.tmp");
        refuseWhileHeld(target);
        boolean swapped = false;
        try {
            Files.createDirectories(target.getParent());
            Files.copy(backup.file(), temp, StandardCopyOption.REPLACE_EXISTING);
            requireReadable(temp, backup);
            // A log left by the replaced warehouse would be replayed into the restored one: keep it aside.
            Path wal = AtomicFiles.wal(target);
            if (Files.exists(wal)) {
                Files.move(wal, wal.resolveSibling(wal.getFileName() + ".before-restore"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFiles.replace(temp, target);
            swapped = true;
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot restore " + backup.name() + " to " + target + ": " + e.getMessage(),
                    "The warehouse is as it was. Check the disk space and the permissions of " + target.getParent()
                            + ".", e);
        } finally {
            if (!swapped) {
                AtomicFiles.deleteQuietly(temp);
            }
        }
        LOG.info("Restored the backup {} to {}", backup.name(), target);
        return backup;
    }

    private Backup find(String name) {
        List<Backup> backups = list();
        if (backups.isEmpty()) {
            throw EntrepotException.badInput("There is no backup in " + directory + ".",
                    "Backups are made after each successful daily build (`entrepot publish --target backup`).");
        }
        if (name == null || name.isBlank() || name.equals(LATEST)) {
            return backups.get(0);
        }
        String wanted = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        return backups.stream().filter(backup -> backup.name().equals(wanted)).findFirst().orElseThrow(() ->
                EntrepotException.badInput("There is no backup named '" + name + "' in " + directory
                                + ". The backups, newest first: "
                                + String.join(", ", backups.stream().map(Backup::name).toList()) + ".",
                        "Give one of these names, or '" + LATEST + "' for the newest."));
    }

    /** Opening the warehouse for writing is the one sure test that no other process holds it. */
    private static void refuseWhileHeld(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + target)) {
            // Opened and closed: DuckDB checkpointed its log, nobody holds it.
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Could not set lock")) {
                throw EntrepotException.failed("Cannot restore over the warehouse " + target
                                + ": another process has it open.",
                        "Stop that process (an entrepot command or daemon, a DuckDB client), then restore.", e);
            }
            // Damaged beyond opening: that is what a restore is for.
            LOG.warn("The warehouse {} cannot be opened ({}); restoring over it", target, e.getMessage());
        }
    }

    private static void requireReadable(Path copy, Backup backup) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            DuckStatements.execute(connection, "ATTACH " + AtomicFiles.literal(copy) + " AS restored (READ_ONLY)");
            DuckStatements.longValue(connection, "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'restored'");
        } catch (SQLException e) {
            throw EntrepotException.failed("The backup " + backup.file() + " cannot be read: " + e.getMessage(),
                    "The warehouse is as it was. Restore another backup (see the list of backups).", e);
        }
    }

    private void applyRetention() {
        List<Backup> backups = list();
        Set<String> kept = retained(backups, keepDaily, keepMonthly);
        for (Backup backup : backups) {
            if (!kept.contains(backup.name())) {
                try {
                    Files.deleteIfExists(backup.file());
                    LOG.info("Deleted the backup {} (retention: {} daily, {} monthly)", backup.name(), keepDaily,
                            keepMonthly);
                } catch (IOException e) {
                    LOG.warn("Cannot delete the old backup {}: {}", backup.file(), e.getMessage());
                }
            }
        }
    }

    /** The names retention keeps among {@code backups}: see the class comment. */
    static Set<String> retained(List<Backup> backups, int keepDaily, int keepMonthly) {
        List<Backup> newestFirst = backups.stream().sorted(Comparator.comparing(Backup::takenAt).reversed()).toList();
        Map<LocalDate, Backup> lastOfDay = new LinkedHashMap<>();
        for (Backup backup : newestFirst) {
            lastOfDay.putIfAbsent(LocalDate.ofInstant(backup.takenAt(), ZoneOffset.UTC), backup);
        }
        Map<YearMonth, Backup> firstOfMonth = new LinkedHashMap<>();
        for (Backup backup : newestFirst) {
            // Newest first, so the last one put for a month is its first backup.
            firstOfMonth.put(YearMonth.from(backup.takenAt().atZone(ZoneOffset.UTC)), backup);
        }
        Set<String> kept = new LinkedHashSet<>();
        lastOfDay.values().stream().limit(keepDaily).forEach(backup -> kept.add(backup.name()));
        firstOfMonth.values().stream().limit(keepMonthly).forEach(backup -> kept.add(backup.name()));
        return kept;
    }

    private static Optional<Backup> read(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches() || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Instant takenAt = STAMP.parse(matcher.group(2), Instant::from);
            String name = file.getFileName().toString();
            return Optional.of(new Backup(name.substring(0, name.length() - SUFFIX.length()), file, takenAt,
                    Files.size(file)));
        } catch (RuntimeException | IOException e) {
            return Optional.empty();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            DuckStatements.execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            // No transaction was open: nothing to undo.
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create the backup directory " + directory + ": " + e.getMessage(),
                    "Check publish.backup_directory and its permissions.", e);
        }
    }

    /** Removes the temporary files of backups that were killed; the lock says none is running. */
    private void removeLeftovers() {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(".+\\.duckdb\\.tmp(\\.wal)?"))
                    .toList()) {
                LOG.info("Removing {}, left by a backup that did not finish", file);
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot remove the files left by an unfinished backup in " + directory
                    + ": " + e.getMessage(), "Remove the *.tmp files in " + directory + ".", e);
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
