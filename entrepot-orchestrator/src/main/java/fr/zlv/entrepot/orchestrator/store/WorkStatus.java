package fr.zlv.entrepot.orchestrator.store;

/**
 * Where a step of a queued run is in the work queue shared by workers. QUEUED: waiting for its upstream steps or a
 * worker; RUNNING: claimed by a worker that beats; SKIPPED: an upstream step failed, so it will not run.
 */
public enum WorkStatus {
    QUEUED, RUNNING, DONE, FAILED, SKIPPED;

    public boolean finished() {
        return this == DONE || this == FAILED || this == SKIPPED;
    }
}
