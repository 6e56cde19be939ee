package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
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

    /** The script EXPORT DATABASE writes last; its presence marks a complete export. */
    private static final String LOAD_SCRIPT = "load.sql";
    private static final String SCHEMA_SCRIPT = "schema.sql";
    private static final Pattern VIEW = Pattern.compile("(?i)CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\b");

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
        DuckdbOnly.require(warehouse, TARGET, "EXPORT DATABASE of the whole warehouse", DuckdbOnly.POSTGRES_BACKUP_HINT);
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
            orderViewsByDependency(temp.resolve(SCHEMA_SCRIPT));
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

    /**
     * Exports the warehouse to {@code location}: a directory (as {@link #export(Warehouse, Path)}) or an object
     * storage prefix ({@code s3://bucket/prefix}). To object storage, the export is written to a local temporary
     * directory, then each file is uploaded under {@code <prefix>/<warehouse>-<UTC time>/}, {@code load.sql} last:
     * an export whose upload was cut has no {@code load.sql}, and {@link #importFrom} refuses it.
     *
     * @param store the object store; unused for a directory
     */
    public PublicationReport export(Warehouse warehouse, Location location, ObjectStore store) {
        DuckdbOnly.require(warehouse, TARGET, "EXPORT DATABASE of the whole warehouse", DuckdbOnly.POSTGRES_BACKUP_HINT);
        if (location.kind() == Location.Kind.FILE) {
            return export(warehouse, location.path());
        }
        if (location.kind() != Location.Kind.S3) {
            throw EntrepotException.badInput("Cannot export the warehouse to " + location + ".",
                    "Give a directory or an s3://bucket/prefix location in publish.export_directory.");
        }
        long started = System.nanoTime();
        Path local = temporaryDirectory();
        try {
            PublicationReport written = export(warehouse, local);
            Path exported = Path.of(written.location());
            String name = exported.getFileName().toString();
            Location target = under(location, name);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(exported)) {
                files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(
                        (Path file) -> file.getFileName().toString().equals(LOAD_SCRIPT)).thenComparing(Path::toString))
                        .toList();
            }
            for (Path file : files) {
                store.upload(file, under(target, exported.relativize(file).toString().replace('\\', '/')));
            }
            LOG.info("Uploaded the export {} to {} ({} files)", name, target, files.size());
            return new PublicationReport(TARGET, target.toString(), written.version(), List.of(), written.bytes(),
                    (System.nanoTime() - started) / 1e9, null);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot read the export before uploading it to " + location + ": "
                    + e.getMessage(), "Check the disk space of the temporary directory.", e);
        } finally {
            deleteTreeQuietly(local);
        }
    }

    /**
     * Builds a new warehouse file from an export in a directory or under an object storage prefix (downloaded to a
     * temporary directory first). Refuses an export without {@code load.sql} (not complete).
     *
     * @param store the object store; unused for a directory
     */
    public void importFrom(Location export, Path newWarehouseFile, ObjectStore store) {
        if (export.kind() == Location.Kind.FILE) {
            importInto(export.path(), newWarehouseFile);
            return;
        }
        if (export.kind() != Location.Kind.S3) {
            throw EntrepotException.badInput("Cannot import from " + export + ".",
                    "Give an export's directory or its s3://bucket/prefix/<warehouse>-<time> location.");
        }
        Location prefix = under(export, "");
        List<ObjectInfo> objects = store.list(prefix);
        boolean complete = objects.stream().anyMatch(o -> o.location().key().equals(prefix.key() + LOAD_SCRIPT));
        if (!complete) {
            throw EntrepotException.badInput("There is no complete export at " + export + " (no " + LOAD_SCRIPT
                    + " under it; " + objects.size() + " object(s)).", "Give the location of one export, such as "
                    + "s3://bucket/prefix/entrepot-2026-11-30T021500Z, as `entrepot publish --target export` printed"
                    + " it; an export whose upload was cut has no " + LOAD_SCRIPT + ".");
        }
        Path local = temporaryDirectory();
        try {
            for (ObjectInfo object : objects) {
                Path file = local.resolve(object.location().key().substring(prefix.key().length())).normalize();
                if (!file.startsWith(local)) {
                    throw EntrepotException.badInput("The export at " + export + " holds the key "
                            + object.location().key() + ", outside its folder.", null);
                }
                Files.createDirectories(file.getParent());
                store.download(object, file, bytes -> { });
            }
            importInto(local, newWarehouseFile);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot download the export " + export + ": " + e.getMessage(),
                    "Check the disk space of the temporary directory.", e);
        } finally {
            deleteTreeQuietly(local);
        }
    }

    /** {@code location} with {@code path} under its key, '/'-separated. */
    private static Location under(Location location, String path) {
        String key = location.key() == null ? "" : location.key();
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        String joined = key.isEmpty() ? path : key + "/" + path;
        return location.withKey(joined);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("entrepot-export-");
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create a temporary directory for the export: " + e.getMessage(),
                    "Check the disk space and java.io.tmpdir.", e);
        }
    }

    /**
     * Rewrites an export's {@code schema.sql} so that each view comes after the views it reads. DuckDB writes views
     * in the order of their schemas' names, so a view of schema {@code int} reading one of schema {@code stg} comes
     * first and IMPORT DATABASE fails on it. The order is found by running the script in an empty in-memory
     * database: views that fail are tried again after the others, until no more can be created.
     */
    static void orderViewsByDependency(Path schemaScript) throws IOException, SQLException {
        String script = Files.readString(schemaScript);
        List<String> statements = new ArrayList<>();
        for (String part : script.split(";\\s*;?\\s*\\n")) {
            String statement = part.strip();
            while (statement.endsWith(";")) {
                statement = statement.substring(0, statement.length() - 1).strip();
            }
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        List<String> ordered = new ArrayList<>();
        List<String> views = new ArrayList<>();
        try (Connection scratch = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = scratch.createStatement()) {
            for (String sql : statements) {
                if (VIEW.matcher(sql).lookingAt()) {
                    views.add(sql);
                } else {
                    statement.execute(sql);
                    ordered.add(sql);
                }
            }
            boolean progress = true;
            while (!views.isEmpty() && progress) {
                progress = false;
                for (Iterator<String> pending = views.iterator(); pending.hasNext(); ) {
                    String sql = pending.next();
                    try (Statement attempt = scratch.createStatement()) {
                        attempt.execute(sql);
                        ordered.add(sql);
                        pending.remove();
                        progress = true;
                    } catch (SQLException e) {
                        // It reads a view not created yet: the next pass tries it again.
                    }
                }
            }
        }
        if (!views.isEmpty()) {
            LOG.warn("{} view(s) of the export read something it lacks and will fail at import: {}", views.size(),
                    views.stream().map(v -> v.lines().findFirst().orElse(v)).toList());
            ordered.addAll(views);
        }
        StringBuilder rewritten = new StringBuilder();
        for (String sql : ordered) {
            rewritten.append(sql).append(";\n");
        }
        Files.writeString(schemaScript, rewritten.toString());
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
