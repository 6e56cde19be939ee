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

    /** The table of rows the load rejected: {@code <target>_rejects}. */
    public TableName rejectsTable() {
        return target.withName(target.name() + "_rejects");
    }

    /** What changes the result of a load besides the file itself: a changed entry means a new load. */
    public String definitionFingerprint() {
        return String.valueOf(java.util.Objects.hash(format, read, new java.util.TreeMap<>(types), expect, onError));
    }
}
