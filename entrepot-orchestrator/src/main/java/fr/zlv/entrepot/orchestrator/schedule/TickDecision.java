package fr.zlv.entrepot.orchestrator.schedule;

import java.time.ZonedDateTime;

/**
 * What the scheduler did about a schedule's due tick: the schedule, its job, the tick acted on (the newest one when
 * several were missed), the action, the run launched (null unless {@link Action#LAUNCHED}), how many ticks had fallen
 * due since the last one handled ({@code missedTicks}, 1 when on time; counted up to 1,000), and why, for the
 * actions that launched nothing.
 */
public record TickDecision(String schedule, String job, ZonedDateTime tick, Action action, String runId,
                           int missedTicks, String message) {

    public enum Action {
        /** A run of the job was launched for the tick. */
        LAUNCHED,
        /** A run of the job was still queued or running and the schedule's overlap policy is SKIP: no run. */
        SKIPPED_OVERLAP,
        /** The launcher refused the run; the tick is consumed (retried at the next tick, not every few seconds). */
        FAILED
    }

    /** One line for a terminal or a log. */
    public String describe() {
        String missed = missedTicks > 1 ? " (" + missedTicks + " ticks due since the last one handled: one run)" : "";
        return switch (action) {
            case LAUNCHED -> "schedule '" + schedule + "': launched run " + runId + " of job '" + job
                    + "' for the tick of " + tick + missed;
            case SKIPPED_OVERLAP -> "schedule '" + schedule + "': skipped the tick of " + tick + ": " + message;
            case FAILED -> "schedule '" + schedule + "': could not launch job '" + job + "' for the tick of " + tick
                    + ": " + message;
        };
    }
}
