package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * One line of a run's history: a step starting, retrying, failing, an asset materialized, a check result, or a log
 * line the step wrote. {@code seq} orders a run's events (given by the store); {@code step} is null for the run's own.
 */
public record RunEvent(String runId, long seq, Instant time, String step, Level level, String type, String message) {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** An event to append: the store gives its sequence number. */
    public static RunEvent of(String runId, String step, Level level, String type, String message) {
        return new RunEvent(runId, 0, Instant.now(), step, level, type, message);
    }
}
