package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.artifacts.Artifacts;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dbt source freshness}: for each source table with a {@code freshness} block and a
 * {@code loaded_at_field}, the newest value of that field (under the block's {@code filter}) is compared with
 * {@code warn_after} and {@code error_after} ({@code {count: 12, period: hour}}). A timestamp without a time zone
 * is read as UTC.
 */
public final class SourceFreshness {

    /** One table's answer. {@code status}: pass, warn, error (stale) or runtime error. */
    public record Result(SourceDefinition source, String status, Instant maxLoadedAt, Instant snapshottedAt,
                         double ageSeconds, String error, Instant started, Instant ended, String threadName) {

        public boolean failed() {
            return status.equals("error") || status.equals("runtime error");
        }
    }

    private final Adapter adapter;
    private final Console console;

    public SourceFreshness(Adapter adapter, Console console) {
        this.adapter = adapter;
        this.console = console;
    }

    /** Whether a source table can be checked: it has a freshness rule and a field to read. */
    public static boolean checkable(SourceDefinition source) {
        Map<String, Object> freshness = source.freshness();
        return source.loadedAtField() != null && freshness != null
                && (freshness.get("warn_after") != null || freshness.get("error_after") != null);
    }

    public List<Result> check(List<SourceDefinition> sources) {
        List<Result> results = new ArrayList<>();
        int index = 0;
        for (SourceDefinition source : sources) {
            index++;
            String label = "freshness of " + source.sourceName() + "." + source.name();
            line(index, sources.size(), "START " + label, "[RUN]");
            Result result = checkOne(source);
            String status = switch (result.status()) {
                case "pass" -> "PASS";
                case "warn" -> "WARN";
                case "error" -> "ERROR STALE";
                default -> "ERROR";
            };
            line(index, sources.size(), status + " " + label, "[" + status + " in " + String.format(Locale.ROOT,
                    "%.2f", Duration.between(result.started(), result.ended()).toMillis() / 1000.0) + "s]");
            results.add(result);
        }
        return results;
    }

    private Result checkOne(SourceDefinition source) {
        Instant started = Instant.now();
        Map<String, Object> freshness = source.freshness();
        Relation relation = new Relation(source.database(), source.schema(), source.identifier(), "table");
        String filter = Yaml.string(freshness.get("filter"), null);
        String sql = "select max(" + source.loadedAtField() + ") as max_loaded_at from " + relation
                + (filter == null ? "" : " where " + filter);
        try {
            Object value = adapter.query(sql).first();
            Instant snapshotted = Instant.now();
            if (value == null) {
                return new Result(source, "runtime error", null, snapshotted, 0, "The source " + relation
                        + " has no value in " + source.loadedAtField() + ": nothing has been loaded.", started,
                        Instant.now(), Thread.currentThread().getName());
            }
            Instant maxLoadedAt = instant(value);
            double age = Duration.between(maxLoadedAt, snapshotted).toMillis() / 1000.0;
            String status = exceeds(age, freshness.get("error_after")) ? "error"
                    : exceeds(age, freshness.get("warn_after")) ? "warn" : "pass";
            return new Result(source, status, maxLoadedAt, snapshotted, age, null, started, Instant.now(),
                    Thread.currentThread().getName());
        } catch (RuntimeException e) {
            return new Result(source, "runtime error", null, Instant.now(), 0, "Database Error in source "
                    + source.sourceName() + "." + source.name() + " (" + source.originalFilePath() + "): "
                    + e.getMessage(), started, Instant.now(), Thread.currentThread().getName());
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return LocalDateTime.parse(String.valueOf(value).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /** Whether an age passes a {count, period} threshold (minute, hour, day). */
    static boolean exceeds(double ageSeconds, Object threshold) {
        Map<String, Object> rule = Yaml.map(threshold);
        if (rule.get("count") == null || rule.get("period") == null) {
            return false;
        }
        double count = Double.parseDouble(String.valueOf(rule.get("count")));
        double seconds = switch (String.valueOf(rule.get("period")).toLowerCase(Locale.ROOT)) {
            case "minute" -> 60;
            case "hour" -> 3600;
            case "day" -> 86400;
            default -> throw new IllegalArgumentException("freshness period must be minute, hour or day, not '"
                    + rule.get("period") + "'");
        };
        return ageSeconds > count * seconds;
    }

    /** target/sources.json, in dbt's schema (sources v3). */
    public static Map<String, Object> document(List<Result> results, double elapsedSeconds, String invocationId) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/sources/v3.json");
        metadata.put("dbt_version", Artifacts.DBT_VERSION);
        metadata.put("generated_at", Artifacts.timestamp(Instant.now()));
        metadata.put("invocation_id", invocationId);
        metadata.put("env", Map.of());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Result result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("unique_id", result.source().uniqueId());
            if (result.status().equals("runtime error")) {
                entry.put("error", result.error());
                entry.put("status", "runtime error");
                entries.add(entry);
                continue;
            }
            entry.put("max_loaded_at", Artifacts.timestamp(result.maxLoadedAt()));
            entry.put("snapshotted_at", Artifacts.timestamp(result.snapshottedAt()));
            entry.put("max_loaded_at_time_ago_in_s", result.ageSeconds());
            entry.put("status", result.status());
            Map<String, Object> criteria = new LinkedHashMap<>();
            criteria.put("warn_after", result.source().freshness().getOrDefault("warn_after", Map.of()));
            criteria.put("error_after", result.source().freshness().getOrDefault("error_after", Map.of()));
            criteria.put("filter", result.source().freshness().get("filter"));
            entry.put("criteria", criteria);
            entry.put("adapter_response", Map.of());
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("name", "execute");
            timing.put("started_at", Artifacts.timestamp(result.started()));
            timing.put("completed_at", Artifacts.timestamp(result.ended()));
            entry.put("timing", List.of(timing));
            entry.put("thread_id", result.threadName());
            entry.put("execution_time", Duration.between(result.started(), result.ended()).toMillis() / 1000.0);
            entries.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("metadata", metadata);
        document.put("results", entries);
        document.put("elapsed_time", elapsedSeconds);
        return document;
    }

    private void line(int index, int total, String text, String status) {
        String prefix = java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
                + "  " + index + " of " + total + " " + text + " ";
        console.line(prefix + ".".repeat(Math.max(3, 80 - prefix.length())) + " " + status);
    }
}
