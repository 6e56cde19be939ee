package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * A step of a queued run in the work queue: who holds it ({@code worker}, null while queued), which claim this is
 * ({@code attempt}: 1 for the first, one more each time a worker takes it), the holder's last heartbeat, and the
 * error of a failed step. A worker ends a step only while the item still names it and its attempt.
 */
public record WorkItem(String runId, String step, WorkStatus status, String worker, int attempt,
                       Instant heartbeatAt, String error) {
}
