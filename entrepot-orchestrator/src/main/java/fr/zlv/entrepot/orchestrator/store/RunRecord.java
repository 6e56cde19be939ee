package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * A run as stored: which job (or {@code __materialize__} for an ad-hoc selection), the selection it ran, why it
 * started ({@code trigger}: {@code manual}, {@code schedule:<name>}, {@code reexecution}), the run it re-executes,
 * its status and times, a message (the failure, or {@code interrupted}), and which process runs it ({@code owner},
 * {@code pid@host}) with the last sign of life ({@code heartbeatAt}), so a run left behind by a dead process is found.
 */
public record RunRecord(String runId, String job, String selection, RunStatus status, String trigger,
                        String reexecutionOf, Instant createdAt, Instant startedAt, Instant endedAt, String message,
                        String owner, Instant heartbeatAt) {

    public RunRecord withStatus(RunStatus newStatus, Instant at, String newMessage) {
        Instant started = newStatus == RunStatus.STARTED && startedAt == null ? at : startedAt;
        Instant ended = newStatus.finished() ? at : endedAt;
        return new RunRecord(runId, job, selection, newStatus, trigger, reexecutionOf, createdAt, started, ended,
                newMessage, owner, at);
    }

    public RunRecord withHeartbeat(Instant at) {
        return new RunRecord(runId, job, selection, status, trigger, reexecutionOf, createdAt, startedAt, endedAt,
                message, owner, at);
    }

    /** True when the run was found abandoned by its process. */
    public boolean interrupted() {
        return status == RunStatus.FAILURE && message != null && message.startsWith(INTERRUPTED);
    }

    /**
     * The owner of a run queued for workers ({@code entrepot worker}): no one process owns it; a worker that dies
     * loses only its steps, which go back to the queue.
     */
    public static final String WORKERS = "workers";

    /** The message a run left behind by its process ends with. */
    public static final String INTERRUPTED = "interrupted";
}
