package fr.zlv.entrepot.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the BI file and the Parquet exports to object storage (or a directory) under versioned keys:
 * <pre>
 *   base/VERSION/entrepot-bi.duckdb
 *   base/VERSION/parquet/NAME.parquet
 *   base/VERSION/manifest.json     what the version holds: files, sizes, SHA-256
 *   base/latest.json               the manifest of the newest complete version, and the versions kept
 * </pre>
 * latest.json is written last, in one PUT, so a reader following it never finds a version half uploaded; a failed
 * publication leaves it (and every published version) as it was. Then the oldest versions beyond
 * {@code keepVersions} are deleted. The manifest's SHA-256 lets any reader check the files end to end;
 * {@link #download} does.
 */
public final class ObjectStoragePublisher {

    public static final String BI_FILE = "entrepot-bi.duckdb";
    public static final String LATEST = "latest.json";
    public static final String MANIFEST = "manifest.json";
    public static final String PARQUET_DIRECTORY = "parquet";

    /** A file of a version: its path under the version ({@code parquet/housing.parquet}), size and SHA-256. */
    public record FileEntry(String path, long size, String sha256) {
    }

    /**
     * A published version. {@code versions}: in latest.json, the versions kept after it was published, newest first
     * (this one first); in a version's own manifest, empty.
     */
    public record Manifest(String version, Instant publishedAt, List<FileEntry> files, List<String> versions) {

        public Manifest {
            files = List.copyOf(files);
            versions = List.copyOf(versions);
        }

        public long bytes() {
            return files.stream().mapToLong(FileEntry::size).sum();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoragePublisher.class);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern PARQUET_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\.parquet");
    private static final DateTimeFormatter VERSION_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;
    private final Location base;
    private final int keepVersions;

    /**
     * @param base         {@code s3://bucket/prefix} or a directory
     * @param keepVersions how many complete versions stay after a publication (at least 1)
     */
    public ObjectStoragePublisher(ObjectStore store, Location base, int keepVersions) {
        if (base.kind() == Location.Kind.HTTP) {
            throw EntrepotException.badInput("Cannot publish to a web address: " + base + ".",
                    "Set publish.object_storage to s3://bucket/prefix or to a directory.");
        }
        if (keepVersions < 1) {
            throw EntrepotException.badInput("Keeping " + keepVersions + " versions in " + base + " would delete"
                    + " the one just published.", "Set publish.keep_versions to 1 or more.");
        }
        this.store = store;
        this.base = base;
        this.keepVersions = keepVersions;
    }

    /** A version name that sorts by time: {@code 20261130T081500123Z}. */
    public static String newVersion(Instant when) {
        return VERSION_FORMAT.format(when);
    }

    /**
     * Uploads a new version, then points latest.json at it, then deletes the versions beyond the retention count.
     *
     * @param biFile       the BI DuckDB file, or null to publish only Parquet files
     * @param parquetFiles Parquet files, stored under their own names
     * @param version      a new version name (letters, digits, {@code . _ -}); one already in the store is refused
     */
    public PublicationReport upload(Path biFile, List<Path> parquetFiles, String version) {
        long start = System.nanoTime();
        Map<String, Path> files = filesOf(biFile, parquetFiles, version);
        Stored stored = stored();
        Map<String, List<ObjectInfo>> present = stored.versions();
        if (stored.directories().contains(version)) {
            throw EntrepotException.badInput("The version " + version + " already exists in " + base + ".",
                    "Publish under a new version name; published versions are never overwritten.");
        }
        Optional<Manifest> previous = latest();
        List<FileEntry> entries = new ArrayList<>();
        boolean pointing = false;
        try {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                entries.add(put(file.getValue(), child(version + "/" + file.getKey()), file.getKey()));
            }
            Instant publishedAt = Instant.now();
            writeJson(new Manifest(version, publishedAt, entries, List.of()), child(version + "/" + MANIFEST));
            List<String> kept = retained(version, previous, present);
            // From here latest.json may name the new version even if the answer is lost: keep its files.
            pointing = true;
            writeJson(new Manifest(version, publishedAt, entries, kept), child(LATEST));
        } catch (RuntimeException e) {
            if (!pointing) {
                removeQuietly(version, entries);
            }
            throw e;
        }
        deleteBeyondRetention(version, previous, present);
        long bytes = entries.stream().mapToLong(FileEntry::size).sum();
        LOG.info("Published version {} to {}: {} files, {} bytes", version, base, entries.size(), bytes);
        return new PublicationReport("s3", base.toString(), version, List.of(), bytes,
                (System.nanoTime() - start) / 1e9, null);
    }

    /**
     * Downloads a version ({@code "latest"}: the one latest.json names) into {@code target}: {@code entrepot-bi.duckdb}
     * and {@code parquet/*.parquet}, each checked against the manifest's size and SHA-256 before it takes its name.
     */
    public Manifest download(String version, Path target) {
        Manifest manifest;
        if (version.equals("latest")) {
            manifest = latest().orElseThrow(() -> EntrepotException.failed("Nothing is published in " + base
                    + " yet (no " + LATEST + ").", "Run entrepot publish --target s3 first.", null));
        } else {
            checkVersionName(version);
            manifest = readManifest(version + "/" + MANIFEST).orElseThrow(() -> EntrepotException.failed(
                    "There is no published version " + version + " in " + base + ".",
                    "Published versions: " + String.join(", ", versions()) + ".", null));
        }
        for (FileEntry entry : manifest.files()) {
            Path file = target.resolve(entry.path());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Location location = child(manifest.version() + "/" + entry.path());
            try {
                Files.createDirectories(file.getParent());
                store.download(store.stat(location), partial, bytes -> { });
                long size = Files.size(partial);
                String sha256 = sha256(partial);
                if (size != entry.size() || !sha256.equals(entry.sha256())) {
                    throw EntrepotException.failed("The download of " + location + " does not match its manifest ("
                                    + size + " bytes, SHA-256 " + sha256 + "; expected " + entry.size() + " bytes, "
                                    + entry.sha256() + ").",
                            "The object was changed or damaged in the store: publish again.", null);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw EntrepotException.failed("Cannot write " + file + ": " + e.getMessage(), null, e);
            } finally {
                deleteLocal(partial);
            }
        }
        return manifest;
    }

    /** The manifest latest.json holds, or empty when nothing was published yet. */
    public Optional<Manifest> latest() {
        return readManifest(LATEST);
    }

    /** The complete versions in the store, newest first (latest.json's order, then older ones by time). */
    public List<String> versions() {
        Map<String, List<ObjectInfo>> present = stored().versions();
        Optional<Manifest> latest = latest();
        List<String> ordered = new ArrayList<>();
        latest.ifPresent(manifest -> manifest.versions().stream().filter(present::containsKey).forEach(ordered::add));
        for (String version : completeByTime(present)) {
            if (!ordered.contains(version)) {
                ordered.add(version);
            }
        }
        return ordered;
    }

    // -- Upload ------------------------------------------------------------------------------------------------

    /** The files of a version by their path under it; checked before anything is sent. */
    private Map<String, Path> filesOf(Path biFile, List<Path> parquetFiles, String version) {
        checkVersionName(version);
        Map<String, Path> files = new LinkedHashMap<>();
        List<Path> all = new ArrayList<>(parquetFiles);
        if (biFile != null) {
            all.add(0, biFile);
            files.put(BI_FILE, biFile);
        }
        for (Path parquet : parquetFiles) {
            String name = parquet.getFileName().toString();
            if (!PARQUET_NAME.matcher(name).matches()) {
                throw EntrepotException.badInput("Cannot publish " + parquet + ": a Parquet file's name must end in"
                        + " .parquet and hold only letters, digits, '_', '-' and '.'.", "Rename the file.");
            }
            if (files.put(PARQUET_DIRECTORY + "/" + name, parquet) != null) {
                throw EntrepotException.badInput("Two Parquet files are named " + name + ".",
                        "Give each published table its own name in publish.yml.");
            }
        }
        if (files.isEmpty()) {
            throw EntrepotException.badInput("Nothing to publish to " + base + ": no BI file and no Parquet file.",
                    "Mark tables with parquet: true in publish.yml, or build the BI file.");
        }
        for (Path file : all) {
            if (!Files.isRegularFile(file)) {
                throw EntrepotException.badInput("Cannot publish " + file + ": there is no such file.",
                        "Build it first (the BI file, the Parquet export); nothing was uploaded.");
            }
        }
        return files;
    }

    private FileEntry put(Path file, Location location, String path) {
        String before = stamp(file);
        String sha256 = sha256(file);
        long size = size(file);
        ObjectInfo stored = store.upload(file, location);
        // The file is read twice (checksum, upload): a BI file swapped in meanwhile would not match its checksum.
        if (!stamp(file).equals(before)) {
            throw EntrepotException.failed(file + " changed while it was uploaded to " + location + ".",
                    "Publish again once the file is rebuilt; nothing was replaced.", null);
        }
        // The store checks each request's MD5; the size is a last check that works for every store.
        if (stored.size() != size) {
            throw EntrepotException.failed("The store holds " + stored.size() + " bytes at " + location + ", "
                    + file + " has " + size + ".", "Publish again; nothing was replaced.", null);
        }
        return new FileEntry(path, size, sha256);
    }

    /** Size, modification time and file identity: what changes when a file is rewritten or replaced by a rename. */
    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "/" + attributes.lastModifiedTime().toMillis() + "/" + attributes.fileKey();
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** latest.json's versions after this publication: this one, then the previous complete ones, up to the count. */
    private List<String> retained(String version, Optional<Manifest> previous, Map<String, List<ObjectInfo>> present) {
        Set<String> ordered = new LinkedHashSet<>();
        ordered.add(version);
        previous.ifPresent(manifest -> manifest.versions().stream().filter(present::containsKey)
                .forEach(ordered::add));
        ordered.addAll(completeByTime(present));
        return ordered.stream().limit(keepVersions).toList();
    }

    /**
     * Deletes the versions that are not kept: complete ones beyond the count, and what failed publications left.
     * Runs after latest.json moved: a failure here costs space, never a published version.
     */
    private void deleteBeyondRetention(String version, Optional<Manifest> previous,
                                       Map<String, List<ObjectInfo>> present) {
        Set<String> kept = new HashSet<>(retained(version, previous, present));
        for (Map.Entry<String, List<ObjectInfo>> old : present.entrySet()) {
            if (kept.contains(old.getKey())) {
                continue;
            }
            try {
                // The manifest first: a version without one is incomplete and read by nobody.
                List<ObjectInfo> objects = new ArrayList<>(old.getValue());
                objects.sort(Comparator.comparing((ObjectInfo object) -> !relative(object).endsWith("/" + MANIFEST)));
                for (ObjectInfo object : objects) {
                    store.delete(object.location());
                }
                LOG.info("Deleted version {} from {} (keeping {} versions)", old.getKey(), base, keepVersions);
            } catch (EntrepotException e) {
                LOG.warn("Could not delete the old version {} from {}: {}", old.getKey(), base, e.getMessage());
            }
        }
    }

    /** After a failed publication: its files are garbage; the next publication deletes any left. */
    private void removeQuietly(String version, List<FileEntry> uploaded) {
        List<String> paths = new ArrayList<>(List.of(MANIFEST));
        uploaded.forEach(entry -> paths.add(entry.path()));
        for (String path : paths) {
            try {
                store.delete(child(version + "/" + path));
            } catch (RuntimeException e) {
                LOG.warn("Could not remove {} of the failed version {}: {}", path, version, e.getMessage());
            }
        }
    }

    // -- What the store holds ----------------------------------------------------------------------------------

    /**
     * What is under the base: {@code versions}, the version directories with their objects (a directory counts as one
     * only if it holds nothing but what this class writes, so retention never deletes another program's files), and
     * {@code directories}, every first-level directory.
     */
    private record Stored(Map<String, List<ObjectInfo>> versions, Set<String> directories) {
    }

    private Stored stored() {
        Map<String, List<ObjectInfo>> versions = new LinkedHashMap<>();
        Set<String> foreign = new HashSet<>();
        for (ObjectInfo object : store.list(child(""))) {
            String path = relative(object);
            int slash = path.indexOf('/');
            if (slash <= 0) {
                continue;
            }
            String version = path.substring(0, slash);
            String inside = path.substring(slash + 1);
            if (!VERSION.matcher(version).matches() || !(inside.equals(MANIFEST) || isDataFile(inside))) {
                foreign.add(version);
            }
            versions.computeIfAbsent(version, v -> new ArrayList<>()).add(object);
        }
        Set<String> directories = new HashSet<>(versions.keySet());
        foreign.forEach(versions::remove);
        return new Stored(versions, directories);
    }

    /** A data file's path inside a version: the BI file or {@code parquet/NAME.parquet}. */
    private static boolean isDataFile(String inside) {
        return inside.equals(BI_FILE) || (inside.startsWith(PARQUET_DIRECTORY + "/")
                && PARQUET_NAME.matcher(inside.substring(PARQUET_DIRECTORY.length() + 1)).matches());
    }

    /** Complete versions (with a manifest), newest first by the manifest's time, then by name. */
    private List<String> completeByTime(Map<String, List<ObjectInfo>> present) {
        Map<String, Instant> written = new LinkedHashMap<>();
        present.forEach((version, objects) -> objects.stream()
                .filter(object -> relative(object).equals(version + "/" + MANIFEST)).findFirst()
                .ifPresent(manifest -> written.put(version,
                        manifest.lastModified() == null ? Instant.EPOCH : manifest.lastModified())));
        return written.keySet().stream().sorted(Comparator.comparing((String version) -> written.get(version))
                .thenComparing(Comparator.naturalOrder()).reversed()).toList();
    }

    /** The location of {@code path} under the base. */
    private Location child(String path) {
        if (base.kind() == Location.Kind.FILE) {
            return new Location(Location.Kind.FILE, null, null, null, path.isEmpty() ? base.path()
                    : base.path().resolve(path));
        }
        String prefix = prefix();
        return base.withKey(prefix.isEmpty() ? path : prefix + "/" + path);
    }

    /** An object's path under the base, with '/' separators. */
    private String relative(ObjectInfo object) {
        if (base.kind() == Location.Kind.FILE) {
            Path root = base.path().toAbsolutePath().normalize();
            Path path = object.location().path().toAbsolutePath().normalize();
            return path.startsWith(root) ? root.relativize(path).toString().replace('\\', '/') : "";
        }
        String prefix = prefix();
        String key = object.location().key();
        if (prefix.isEmpty()) {
            return key;
        }
        return key.startsWith(prefix + "/") ? key.substring(prefix.length() + 1) : "";
    }

    private String prefix() {
        String key = base.key() == null ? "" : base.key();
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        return key;
    }

    // -- Manifests ---------------------------------------------------------------------------------------------

    private void writeJson(Manifest manifest, Location location) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", manifest.version());
        root.put("published_at", manifest.publishedAt().toString());
        ArrayNode files = root.putArray("files");
        for (FileEntry entry : manifest.files()) {
            files.addObject().put("path", entry.path()).put("size", entry.size()).put("sha256", entry.sha256());
        }
        if (!manifest.versions().isEmpty()) {
            ArrayNode versions = root.putArray("versions");
            manifest.versions().forEach(versions::add);
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile("entrepot-manifest", ".json");
            JSON.writeValue(temporary.toFile(), root);
            store.upload(temporary, location);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write the manifest " + location + ": " + e.getMessage(), null, e);
        } finally {
            deleteLocal(temporary);
        }
    }

    /** The manifest at {@code path} under the base, or empty when there is none. */
    private Optional<Manifest> readManifest(String path) {
        Location location = child(path);
        // Listing tells "absent" apart from "refused" or "unreachable", which stat does not.
        if (store.list(location).stream().noneMatch(object -> relative(object).equals(path))) {
            return Optional.empty();
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile("entrepot-manifest", ".json");
            store.download(store.stat(location), temporary, bytes -> { });
            JsonNode root = JSON.readTree(temporary.toFile());
            List<FileEntry> files = new ArrayList<>();
            for (JsonNode file : root.path("files")) {
                String inside = file.path("path").asText();
                if (!isDataFile(inside)) {
                    throw new IOException("it lists a file '" + inside + "' that Entrepôt does not publish");
                }
                files.add(new FileEntry(inside, file.path("size").asLong(), file.path("sha256").asText()));
            }
            List<String> versions = new ArrayList<>();
            root.path("versions").forEach(version -> versions.add(version.asText()));
            return Optional.of(new Manifest(root.path("version").asText(),
                    Instant.parse(root.path("published_at").asText()), files, versions));
        } catch (EntrepotException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw EntrepotException.failed("The manifest " + location + " cannot be read: " + e.getMessage(),
                    "It was written by Entrepôt; if it was edited by hand, publish again to rewrite it.", e);
        } finally {
            deleteLocal(temporary);
        }
    }

    // -- Small things ------------------------------------------------------------------------------------------

    private static void checkVersionName(String version) {
        if (version == null || !VERSION.matcher(version).matches() || version.equals("latest")) {
            throw EntrepotException.badInput("'" + version + "' cannot name a version.",
                    "Use letters, digits, '.', '_' and '-' (e.g. " + newVersion(Instant.now()) + ").");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot read " + file + ": " + e.getMessage(), null, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteLocal(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", file, e.getMessage());
            }
        }
    }
}
