package fr.zlv.entrepot.orchestrator.store;

/** Where a run is. A run that its process left behind (killed, crashed) ends as FAILURE, interrupted. */
public enum RunStatus {
    QUEUED, STARTED, SUCCESS, FAILURE, CANCELED;

    public boolean finished() {
        return this == SUCCESS || this == FAILURE || this == CANCELED;
    }
}
