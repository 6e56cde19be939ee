package fr.zlv.entrepot.orchestrator.store;

/** Where a step of a run is. SKIPPED: an upstream step failed (or a blocking check did), so it did not run. */
public enum StepStatus {
    PENDING, RUNNING, SUCCESS, FAILURE, SKIPPED, CANCELED;

    public boolean finished() {
        return this != PENDING && this != RUNNING;
    }
}
