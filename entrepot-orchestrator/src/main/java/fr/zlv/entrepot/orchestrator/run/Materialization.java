package fr.zlv.entrepot.orchestrator.run;

import java.util.Map;

/** What a step says of an asset it built: rows (null when unknown), a hash of its schema, anything else. */
public record Materialization(Long rows, String schemaHash, Map<String, Object> metadata) {

    public static final Materialization UNKNOWN = new Materialization(null, null, Map.of());

    public Materialization {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
