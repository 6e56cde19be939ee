package fr.zlv.entrepot.orchestrator.schedule;

/** What a schedule does when its tick comes while a run of its job is still queued or running. */
public enum OverlapPolicy {
    /** Launch anyway: the run waits in the queue until the job's current run ends. */
    QUEUE,
    /** Launch nothing for this tick. */
    SKIP
}
