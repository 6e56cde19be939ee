package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * A schedule's state, kept in the run store so it survives restarts: on or off, the last tick it handled (so ticks
 * missed while nothing ran are caught up once, not once each) and the run it last launched.
 */
public record ScheduleState(String schedule, boolean running, Instant lastTick, String lastRunId) {
}
