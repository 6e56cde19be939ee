package fr.zlv.entrepot.ingest.files;

import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.TableName;
import java.util.Map;

/** A source of the catalog, placeholders filled in and checked: ready to load. */
public record FileSource(String name, String provider, String description, String documentation, Location location,
                         Format format, ReadOptions read, Map<String, String> types, TableName target,
                         Expectations expect, OnError onError, Integer year) {

    public enum Format { CSV, XLSX, PARQUET }

    public enum OnError { REJECT, FAIL }

    public FileSource {
        types = Map.copyOf(types);
    }

    /** The same source read from elsewhere (a mirror, the demo's local store). */
    public FileSource withLocation(Location newLocation) {
        return new FileSource(name, provider, description, documentation, newLocation, format, read, types, target,
                expect, onError, year);
    }

    /** The table of rows the load rejected: {@code <target>_rejects}. */
    public TableName rejectsTable() {
        return target.withName(target.name() + "_rejects");
    }

    /** What changes the result of a load besides the file itself: a changed entry means a new load. */
    public String definitionFingerprint() {
        String definition = format + "|" + read + "|" + new java.util.TreeMap<>(types) + "|" + expect + "|" + onError;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(definition.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
