package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.time.Instant;

/** A check's verdict on an asset: passed or not, whether it blocks downstream assets, and what it saw. */
public record CheckResultRecord(AssetKey key, String check, String runId, Instant time, boolean passed,
                                boolean blocking, String message) {
}
