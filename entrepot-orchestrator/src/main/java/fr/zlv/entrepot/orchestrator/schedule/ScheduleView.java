package fr.zlv.entrepot.orchestrator.schedule;

import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A schedule as {@code entrepot schedules list} shows it: its declaration, whether it is on (from the run store, or
 * its default when never seen), the last tick handled and the run launched then (null when none), and its next tick
 * after the time asked about (null when off). Times are in the schedule's zone.
 */
public record ScheduleView(String name, String job, String cron, String fields, ZoneId zone, OverlapPolicy overlap,
                           boolean on, ZonedDateTime lastTick, String lastRunId, ZonedDateTime nextTick) {
}
