package fr.zlv.entrepot.orchestrator.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.run.JobSpec;
import fr.zlv.entrepot.orchestrator.run.RetryPolicy;
import fr.zlv.entrepot.orchestrator.schedule.OverlapPolicy;
import fr.zlv.entrepot.orchestrator.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code warehouse/jobs.yml}: the jobs (asset selections), their schedules, the retry policies and the asset checks
 * of the warehouse's assets (each given to the assets a selection picks), and how many runs and steps go at once.
 * A mistake is reported with the file and the key where it is.
 */
public record JobsFile(Path file, List<JobSpec> jobs, List<ScheduleSpec> schedules, List<RetryRule> retries,
                       List<CheckRule> checks, int maxConcurrentRuns, int threads) {

    /** A retry policy for the assets a selection picks; the first rule that picks an asset wins. */
    public record RetryRule(String select, RetryPolicy policy) {
    }

    /** A check for every asset a selection picks. */
    public record CheckRule(String select, CheckSpec check) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)");
    private static final Set<String> TOP_LEVEL = Set.of("jobs", "schedules", "retries", "checks", "execution");

    public static JobsFile load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the jobs file " + file + ": " + e.getMessage(),
                    "Check that it exists and is valid YAML.");
        }
        if (root == null || !root.isObject()) {
            throw EntrepotException.badInput("The jobs file " + file + " is empty or not a mapping.",
                    "Start it with 'jobs:'.");
        }
        Reader reader = new Reader(file);
        root.fieldNames().forEachRemaining(key -> {
            if (!TOP_LEVEL.contains(key)) {
                throw reader.error(key, "is not a known section", "The sections are " + TOP_LEVEL + ".");
            }
        });
        List<JobSpec> jobs = new ArrayList<>();
        root.path("jobs").fields().forEachRemaining(entry -> {
            JsonNode job = entry.getValue();
            String where = "jobs." + entry.getKey();
            jobs.add(new JobSpec(entry.getKey(), job.path("description").asText(""),
                    reader.requiredText(job, "select", where)));
        });
        if (jobs.isEmpty()) {
            throw reader.error("jobs", "declares no job", "Declare at least one job with a 'select:' of assets.");
        }
        List<ScheduleSpec> schedules = new ArrayList<>();
        root.path("schedules").fields().forEachRemaining(entry -> {
            JsonNode schedule = entry.getValue();
            String where = "schedules." + entry.getKey();
            String job = reader.requiredText(schedule, "job", where);
            if (jobs.stream().noneMatch(j -> j.name().equals(job))) {
                throw reader.error(where + ".job", "names the job '" + job + "', which is not declared",
                        "Declare it under jobs:, or fix the name.");
            }
            ZoneId zone;
            try {
                zone = ZoneId.of(schedule.path("timezone").asText("Europe/Paris"));
            } catch (DateTimeException e) {
                throw reader.error(where + ".timezone", "is not a time zone: " + e.getMessage(),
                        "Use a name like Europe/Paris or UTC.");
            }
            String status = schedule.path("default_status").asText("running");
            String overlap = schedule.path("overlap").asText("skip");
            if (!Set.of("running", "stopped").contains(status)) {
                throw reader.error(where + ".default_status", "is '" + status + "'", "Use running or stopped.");
            }
            if (!Set.of("skip", "queue").contains(overlap)) {
                throw reader.error(where + ".overlap", "is '" + overlap + "'", "Use skip or queue.");
            }
            schedules.add(new ScheduleSpec(entry.getKey(), job, reader.requiredText(schedule, "cron", where), zone,
                    status.equals("running"), OverlapPolicy.valueOf(overlap.toUpperCase(Locale.ROOT))));
        });
        List<RetryRule> retries = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : root.path("retries")) {
            String where = "retries[" + index++ + "]";
            try {
                retries.add(new RetryRule(reader.requiredText(rule, "select", where), new RetryPolicy(
                        rule.path("max_attempts").asInt(3), reader.duration(rule, "delay", where, Duration.ofMinutes(10)),
                        rule.path("backoff").asDouble(1), rule.path("jitter").asDouble(0))));
            } catch (IllegalArgumentException e) {
                throw reader.error(where, e.getMessage(), "max_attempts ≥ 1, backoff ≥ 1, jitter between 0 and 1.");
            }
        }
        List<CheckRule> checks = new ArrayList<>();
        index = 0;
        for (JsonNode rule : root.path("checks")) {
            String where = "checks[" + index++ + "]";
            checks.add(new CheckRule(reader.requiredText(rule, "select", where), reader.check(rule, where)));
        }
        JsonNode execution = root.path("execution");
        return new JobsFile(file, jobs, schedules, retries, checks, execution.path("max_concurrent_runs").asInt(2),
                execution.path("threads").asInt(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }

    /** Reads values, naming the file and the key in errors. */
    private record Reader(Path file) {

        EntrepotException error(String key, String problem, String hint) {
            return EntrepotException.badInput("In " + file + ", " + key + " " + problem + ".", hint);
        }

        String requiredText(JsonNode node, String field, String where) {
            JsonNode value = node.get(field);
            if (value == null || !value.isValueNode() || value.asText().isBlank()) {
                throw error(where + "." + field, "is missing", "Give it a value.");
            }
            return value.asText();
        }

        Duration duration(JsonNode node, String field, String where, Duration fallback) {
            JsonNode value = node.get(field);
            if (value == null) {
                return fallback;
            }
            String text = value.asText().trim().toLowerCase(Locale.ROOT);
            Matcher matcher = DURATION.matcher(text);
            if (!matcher.matches()) {
                throw error(where + "." + field, "is '" + value.asText() + "', not a duration",
                        "Write it as 30s, 10m, 2h or 7d.");
            }
            double amount = Double.parseDouble(matcher.group(1));
            long millis = switch (matcher.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m", "min" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            return Duration.ofMillis(Math.round(amount * millis));
        }

        /** One check: exactly one of exists, freshness, row_count, schema. */
        CheckSpec check(JsonNode rule, String where) {
            List<String> kinds = new ArrayList<>();
            for (Iterator<String> names = rule.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("select") && !name.equals("blocking") && !name.equals("name")) {
                    kinds.add(name);
                }
            }
            if (kinds.size() != 1) {
                throw error(where, "has " + (kinds.isEmpty() ? "no check" : "several checks " + kinds),
                        "Give one of exists, freshness, row_count, schema per rule.");
            }
            String kind = kinds.get(0);
            JsonNode body = rule.get(kind);
            boolean blocking = rule.path("blocking").asBoolean(kind.equals("exists") || kind.equals("schema"));
            String name = rule.path("name").asText(kind);
            Map<String, Object> arguments = new LinkedHashMap<>();
            switch (kind) {
                case "exists" -> {
                    return new CheckSpec(name, CheckSpec.Kind.EXISTS, blocking, Map.of());
                }
                case "freshness" -> {
                    if (body.hasNonNull("column")) {
                        arguments.put("column", body.get("column").asText());
                    }
                    arguments.put("max_age", duration(body, "max_age", where + ".freshness", Duration.ofDays(1)));
                    return new CheckSpec(name, CheckSpec.Kind.FRESHNESS, blocking, arguments);
                }
                case "row_count" -> {
                    for (String bound : List.of("min", "max", "max_change_percent")) {
                        if (body.hasNonNull(bound)) {
                            arguments.put(bound, body.get(bound).asDouble());
                        }
                    }
                    if (arguments.isEmpty()) {
                        throw error(where + ".row_count", "has no bound", "Give min, max or max_change_percent.");
                    }
                    return new CheckSpec(name, CheckSpec.Kind.ROW_COUNT, blocking, arguments);
                }
                case "schema" -> {
                    Map<String, String> columns = new LinkedHashMap<>();
                    body.path("columns").fields().forEachRemaining(column -> columns.put(
                            column.getKey().toLowerCase(Locale.ROOT), column.getValue().asText().toUpperCase(Locale.ROOT)));
                    if (columns.isEmpty()) {
                        throw error(where + ".schema.columns", "is missing", "List the expected columns and types.");
                    }
                    arguments.put("columns", columns);
                    arguments.put("allow_extra", body.path("allow_extra").asBoolean(true));
                    return new CheckSpec(name, CheckSpec.Kind.SCHEMA, blocking, arguments);
                }
                default -> throw error(where + "." + kind, "is not a check", "Use exists, freshness, row_count or schema.");
            }
        }
    }
}
