package fr.zlv.entrepot.server;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunRecord;
import fr.zlv.entrepot.orchestrator.store.RunStatus;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.StepRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's figures, read from the run store when {@code /metrics} is scraped (at most every
 * {@link #MIN_INTERVAL}, so frequent scrapes cost the store nothing):
 * <ul>
 *   <li>{@code entrepot_runs_recent{job,status}}: how many of the last {@value #RECENT_RUNS} runs ended so;</li>
 *   <li>{@code entrepot_run_last_duration_seconds{job}}, {@code entrepot_run_last_success{job}} (1 or 0),
 *       {@code entrepot_run_last_end_timestamp_seconds{job}}: each job's latest finished run;</li>
 *   <li>{@code entrepot_step_last_duration_seconds{job,step}}, {@code entrepot_step_last_success{job,step}}: the
 *       steps of that run;</li>
 *   <li>{@code entrepot_asset_rows{asset,stage}}: rows of each asset's latest materialization, {@code stage} being
 *       {@code ingested} (production and file tables), {@code built} (dbt models) or {@code published};</li>
 *   <li>{@code entrepot_rows{stage}}: their sum per stage (rows ingested, built, published);</li>
 *   <li>{@code entrepot_asset_freshness_seconds{asset}}: seconds since each asset's latest materialization.</li>
 * </ul>
 */
final class StoreMetrics {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    static final int RECENT_RUNS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(StoreMetrics.class);
    private static final Set<String> BUILT = Set.of("stg", "int", "marts", "snapshots", "seeds");

    private final RunStore store;
    private final Clock clock;
    private final MultiGauge runsRecent;
    private final MultiGauge runDuration;
    private final MultiGauge runSuccess;
    private final MultiGauge runEnd;
    private final MultiGauge stepDuration;
    private final MultiGauge stepSuccess;
    private final MultiGauge assetRows;
    private final MultiGauge stageRows;
    private final MultiGauge freshness;
    private Instant refreshedAt;

    StoreMetrics(RunStore store, MeterRegistry registry, Clock clock) {
        this.store = store;
        this.clock = clock;
        runsRecent = gauge(registry, "entrepot.runs.recent", null, "Runs among the most recent, by job and status");
        runDuration = gauge(registry, "entrepot.run.last.duration", "seconds", "Duration of each job's latest finished run");
        runSuccess = gauge(registry, "entrepot.run.last.success", null, "1 when each job's latest finished run succeeded");
        runEnd = gauge(registry, "entrepot.run.last.end.timestamp", "seconds", "When each job's latest finished run ended (Unix time)");
        stepDuration = gauge(registry, "entrepot.step.last.duration", "seconds", "Duration of each step of each job's latest finished run");
        stepSuccess = gauge(registry, "entrepot.step.last.success", null, "1 when the step succeeded in each job's latest finished run");
        assetRows = gauge(registry, "entrepot.asset.rows", null, "Rows of each asset's latest materialization");
        stageRows = gauge(registry, "entrepot.rows", null, "Rows of the latest materializations, summed by stage (ingested, built, published)");
        freshness = gauge(registry, "entrepot.asset.freshness", "seconds", "Seconds since each asset's latest materialization");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String unit, String description) {
        MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return builder.register(registry);
    }

    /** Reads the store again unless it was read less than {@link #MIN_INTERVAL} ago. */
    synchronized void refreshIfStale() {
        Instant now = clock.instant();
        if (refreshedAt != null && Duration.between(refreshedAt, now).compareTo(MIN_INTERVAL) < 0) {
            return;
        }
        try {
            refresh(now);
            refreshedAt = now;
        } catch (RuntimeException e) {
            // A store that cannot be read must not take /metrics down: the last figures stay.
            LOG.warn("Could not read the run store {} for the metrics: {}", store.location(), e.getMessage());
        }
    }

    private void refresh(Instant now) {
        List<RunRecord> runs = store.runs(null, RECENT_RUNS);
        Map<Tags, Integer> counts = new HashMap<>();
        Map<String, RunRecord> latest = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            counts.merge(Tags.of("job", run.job(), "status", run.status().name().toLowerCase(java.util.Locale.ROOT)),
                    1, Integer::sum);
            if (run.status().finished() && run.endedAt() != null) {
                latest.putIfAbsent(run.job(), run);
            }
        }
        runsRecent.register(rows(counts), true);

        Map<Tags, Double> durations = new HashMap<>();
        Map<Tags, Double> successes = new HashMap<>();
        Map<Tags, Double> ends = new HashMap<>();
        Map<Tags, Double> stepDurations = new HashMap<>();
        Map<Tags, Double> stepSuccesses = new HashMap<>();
        for (RunRecord run : latest.values()) {
            Tags job = Tags.of("job", run.job());
            Instant started = run.startedAt() != null ? run.startedAt() : run.createdAt();
            durations.put(job, seconds(started, run.endedAt()));
            successes.put(job, run.status() == RunStatus.SUCCESS ? 1.0 : 0.0);
            ends.put(job, run.endedAt().getEpochSecond() + run.endedAt().getNano() / 1e9);
            for (StepRecord step : store.steps(run.runId())) {
                Tags tags = Tags.of("job", run.job(), "step", step.step());
                if (step.startedAt() != null && step.endedAt() != null) {
                    stepDurations.put(tags, seconds(step.startedAt(), step.endedAt()));
                }
                stepSuccesses.put(tags, step.status().name().equals("SUCCESS") ? 1.0 : 0.0);
            }
        }
        runDuration.register(rows(durations), true);
        runSuccess.register(rows(successes), true);
        runEnd.register(rows(ends), true);
        stepDuration.register(rows(stepDurations), true);
        stepSuccess.register(rows(stepSuccesses), true);

        Map<Tags, Long> rowsByAsset = new HashMap<>();
        Map<Tags, Long> rowsByStage = new HashMap<>();
        Map<Tags, Double> ages = new HashMap<>();
        for (Map.Entry<AssetKey, MaterializationRecord> entry : store.latestMaterializations().entrySet()) {
            AssetKey key = entry.getKey();
            MaterializationRecord record = entry.getValue();
            String stage = stage(key);
            if (record.rows() != null) {
                rowsByAsset.put(Tags.of("asset", key.path(), "stage", stage), record.rows());
                rowsByStage.merge(Tags.of("stage", stage), record.rows(), Long::sum);
            }
            ages.put(Tags.of("asset", key.path()), Math.max(0, seconds(record.time(), now)));
        }
        assetRows.register(rows(rowsByAsset), true);
        stageRows.register(rows(rowsByStage), true);
        freshness.register(rows(ages), true);
    }

    /** Where an asset sits in the flow: published copies, dbt models, or tables brought in. */
    static String stage(AssetKey key) {
        if (key.prefix().equals("publish")) {
            return "published";
        }
        return BUILT.contains(key.prefix()) ? "built" : "ingested";
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, ? extends Number> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((tags, value) -> rows.add(MultiGauge.Row.of(tags, value)));
        return rows;
    }
}
