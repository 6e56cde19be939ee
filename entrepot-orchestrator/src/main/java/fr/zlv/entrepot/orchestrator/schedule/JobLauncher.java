package fr.zlv.entrepot.orchestrator.schedule;

/** What the scheduler asks of the executor. */
public interface JobLauncher {

    /** Queues a run of the job and returns its id; {@code trigger} says why ({@code schedule:<name>}). */
    String launch(String job, String trigger);

    /** True while a run of the job is queued or running. */
    boolean active(String job);
}
