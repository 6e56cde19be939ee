package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.store.RunStore;

/** Runs the checks the orchestrator itself evaluates (on the warehouse), after an asset is built or on demand. */
@FunctionalInterface
public interface CheckEvaluator {

    /** Checks that need nothing evaluate to passed. */
    CheckEvaluator NONE = (asset, check, store, runId) -> new CheckOutcome(check.name(), true, check.blocking(), "not evaluated");

    CheckOutcome evaluate(AssetSpec asset, CheckSpec check, RunStore store, String runId);
}
