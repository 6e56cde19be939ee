package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.util.Set;

/** What a running step can ask and tell the executor. */
public interface StepContext {

    String runId();

    String stepName();

    /** 1 for the first attempt. */
    int attempt();

    /** The step's assets this run materializes (a step may build only some of its assets, as in a re-execution). */
    Set<AssetKey> selected();

    /** A log line, stored with the run and shown by {@code entrepot runs logs}. */
    void log(String message);

    void warn(String message);

    /** Reports an asset built. An asset of the step selected but never reported counts as built when the step succeeds. */
    void materialized(AssetKey key, Materialization materialization);

    /** Reports the verdict of a check the step ran itself (a dbt test). */
    void checked(AssetKey key, CheckOutcome outcome);

    /** True once the run is cancelled: a long step should stop at its next chance. */
    boolean cancelled();
}
