package fr.zlv.entrepot.ingest.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Downloads kept on disk, keyed by location and version (ETag, else Last-Modified and size): a file that
 * has not changed is not fetched twice. A download goes to a {@code .part} file first and is renamed when
 * complete, so the cache never holds half a file. Local files are read where they are.
 */
public final class FileCache {

    /** A file ready to read, and how it got here. */
    public record Fetched(Path file, ObjectInfo info, boolean fromCache, long bytesDownloaded, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final ObjectStore store;
    private final java.util.concurrent.ConcurrentMap<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public FileCache(Path directory, ObjectStore store) {
        this.directory = directory;
        this.store = store;
    }

    public ObjectStore store() {
        return store;
    }

    /** The file at {@code location}, from the cache when its version has not changed. */
    public Fetched fetch(Location location, LongConsumer bytes) {
        return fetch(store.stat(location), bytes);
    }

    /** The file {@code info} describes (as {@link ObjectStore#stat} just said), from the cache when it can. */
    public Fetched fetch(ObjectInfo info, LongConsumer bytes) {
        // Two fetches of one location share its cache entry: the second waits and finds the file there.
        synchronized (locks.computeIfAbsent(info.location().toString(), location -> new Object())) {
            return fetchUnlocked(info, bytes);
        }
    }

    private Fetched fetchUnlocked(ObjectInfo info, LongConsumer bytes) {
        long started = System.nanoTime();
        Location location = info.location();
        if (location.kind() == Location.Kind.FILE) {
            return new Fetched(location.path().toAbsolutePath(), info, true, 0, 0);
        }
        Path entry = directory.resolve(key(location));
        Path file = entry.resolve(location.fileName());
        Path meta = entry.resolve("entry.json");
        if (Files.isRegularFile(file) && info.version().equals(cachedVersion(meta)) && sizeMatches(file, info)) {
            return new Fetched(file, info, true, 0, (System.nanoTime() - started) / 1e9);
        }
        try {
            Files.createDirectories(entry);
            Path partial = entry.resolve(location.fileName() + ".part");
            long[] received = {0};
            store.download(info, partial, count -> {
                received[0] += count;
                bytes.accept(count);
            });
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("location", location.toString());
            record.put("version", info.version());
            record.put("size", info.size());
            record.put("fetched_at", Instant.now().toString());
            Files.writeString(meta, JSON.writeValueAsString(record), StandardCharsets.UTF_8);
            return new Fetched(file, info, false, received[0], (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write the download cache " + entry + ": " + e.getMessage(),
                    "Check storage.cache_directory and free disk space.", e);
        }
    }

    /** True when the cache holds this version of the file. */
    public boolean holds(ObjectInfo info) {
        if (info.location().kind() == Location.Kind.FILE) {
            return true;
        }
        Path entry = directory.resolve(key(info.location()));
        Path file = entry.resolve(info.location().fileName());
        return Files.isRegularFile(file) && info.version().equals(cachedVersion(entry.resolve("entry.json")))
                && sizeMatches(file, info);
    }

    private static boolean sizeMatches(Path file, ObjectInfo info) {
        try {
            return info.size() < 0 || Files.size(file) == info.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static String cachedVersion(Path meta) {
        try {
            return JSON.readTree(Files.readString(meta)).path("version").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** A short, stable directory name for a location. */
    private static String key(Location location) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(location.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
