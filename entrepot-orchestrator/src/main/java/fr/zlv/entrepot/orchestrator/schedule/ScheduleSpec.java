package fr.zlv.entrepot.orchestrator.schedule;

import java.time.ZoneId;

/**
 * A schedule of {@code jobs.yml}: run {@code job} at the ticks of {@code cron} (five fields, or {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @hourly}) read in {@code zone}; on or off when first
 * seen (the state then lives in the run store); what to do when a tick comes while the job still runs.
 */
public record ScheduleSpec(String name, String job, String cron, ZoneId zone, boolean onByDefault,
                           OverlapPolicy overlap) {
}
