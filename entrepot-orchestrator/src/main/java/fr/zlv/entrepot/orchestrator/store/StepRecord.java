package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/** A step of a run: its status, how many attempts it took, when, and the last error. */
public record StepRecord(String runId, String step, StepStatus status, int attempts, Instant startedAt,
                         Instant endedAt, String error) {
}
