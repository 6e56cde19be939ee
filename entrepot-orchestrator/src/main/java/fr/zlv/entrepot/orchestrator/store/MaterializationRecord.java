package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.time.Instant;
import java.util.Map;

/**
 * An asset built by a run: when, how many rows, how long it took, a hash of its columns and types (so a change of
 * schema shows), and whatever else the step reported.
 */
public record MaterializationRecord(AssetKey key, String runId, String step, Instant time, Long rows,
                                    long durationMillis, String schemaHash, Map<String, Object> metadata) {

    public MaterializationRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
