package fr.zlv.entrepot.orchestrator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.EntrepotException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ticks of a schedule: a cron expression (five fields {@code minute hour day-of-month month day-of-week}, as in
 * Unix crontab, or a nickname {@code @yearly}/{@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}/{@code @midnight}, {@code @hourly}) read as wall-clock times in a time zone.
 *
 * <p>The expression is matched against wall-clock (local) times of the zone; each matching local time is then placed
 * on the time line. Daylight-saving changes are handled this way, on purpose:
 * <ul>
 *   <li><b>Spring forward</b> (a local time that does not exist, e.g. 02:30 in Europe/Paris on the last Sunday of
 *   March): the tick fires once, at the instant the clocks jump (03:00 local), so a daily job is neither lost nor
 *   run twice that day. Several ticks in the missing hour fire once, together, at that instant.</li>
 *   <li><b>Fall back</b> (a local time that happens twice, e.g. 02:30 on the last Sunday of October): the tick
 *   fires once, at the first occurrence (summer time). The repeated hour is not fired again, so an hourly
 *   schedule has a two-hour gap that night.</li>
 * </ul>
 * Both rules keep ticks in strictly increasing order and make every matching local time fire exactly once.
 *
 * <p>Nicknames are mapped to their five-field meaning here (cron-utils' UNIX definition rejects them), so messages and
 * listings can show what a nickname stands for. Instances are immutable and safe to share between threads.
 */
public final class CronSchedule {

    /** Nickname → the five fields it stands for (midnight, or minute 0 for {@code @hourly}). */
    private static final Map<String, String> NICKNAMES = nicknames();

    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);

    private static final String[] FIELD_NAMES = {"minute", "hour", "day-of-month", "month", "day-of-week"};

    private static final String HINT = "Write five fields 'minute hour day-of-month month day-of-week' read in the"
            + " schedule's time zone (e.g. '0 6 * * *' for 06:00 every day, '0 3 1 * *' for 03:00 on the 1st of each"
            + " month) or one of " + String.join(", ", NICKNAMES.keySet()) + ".";

    /** A safety net: no valid expression needs this many candidates to cross a daylight-saving change. */
    private static final int MAX_STEPS = 10_000;

    private final String schedule;
    private final String expression;
    private final String fields;
    private final ZoneId zone;
    private final ExecutionTime execution;

    private CronSchedule(String schedule, String expression, String fields, ZoneId zone, ExecutionTime execution) {
        this.schedule = schedule;
        this.expression = expression;
        this.fields = fields;
        this.zone = zone;
        this.execution = execution;
    }

    /**
     * Parses {@code expression} for the schedule named {@code schedule} (used in messages only).
     *
     * @throws EntrepotException (bad input) naming the schedule, the expression and what is wrong, with a hint
     */
    public static CronSchedule parse(String schedule, String expression, ZoneId zone) {
        if (zone == null) {
            throw EntrepotException.badInput("Schedule '" + schedule + "' has no time zone.",
                    "Give the schedule a time zone, e.g. 'zone: Europe/Paris'.");
        }
        if (expression == null || expression.isBlank()) {
            throw EntrepotException.badInput("Schedule '" + schedule + "' has no cron expression.", HINT);
        }
        String trimmed = expression.trim();
        String fields = trimmed.startsWith("@") ? expandNickname(schedule, trimmed) : trimmed;
        Cron cron = parseFields(schedule, trimmed, fields);
        ExecutionTime execution = ExecutionTime.forCron(cron);
        // An expression such as '0 0 30 2 *' parses but never fires: say so now rather than never launching.
        if (execution.nextExecution(LocalDateTime.of(2000, 1, 1, 0, 0).atZone(ZoneOffset.UTC)).isEmpty()) {
            throw EntrepotException.badInput(where(schedule, trimmed) + " never fires: no date matches its"
                    + " day-of-month and month fields.", "Check the day and month (there is no 30 February or"
                    + " 31 April). " + HINT);
        }
        return new CronSchedule(schedule, trimmed, fields, zone, execution);
    }

    /** The schedule's name, as given to {@link #parse}. */
    public String schedule() {
        return schedule;
    }

    /** The expression as written ({@code @daily}, or five fields). */
    public String expression() {
        return expression;
    }

    /** The five fields the expression stands for ({@code 0 0 * * *} for {@code @daily}). */
    public String fields() {
        return fields;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first tick strictly after {@code after}, in the schedule's zone. */
    public ZonedDateTime next(Instant after) {
        // Local times up to after's own resolve at or before it (see the class comment), so search from there.
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone);
        for (int step = 0; step < MAX_STEPS; step++) {
            LocalDateTime candidate = nextLocal(cursor);
            Instant at = resolve(candidate);
            if (at.isAfter(after)) {
                return ZonedDateTime.ofInstant(at, zone);
            }
            cursor = candidate;
        }
        throw new IllegalStateException("No tick of '" + expression + "' found after " + after);
    }

    /** The first tick strictly after {@code after}, in the schedule's zone. */
    public ZonedDateTime next(ZonedDateTime after) {
        return next(after.toInstant());
    }

    /** The last tick at or before {@code atOrBefore}, in the schedule's zone. */
    public ZonedDateTime previous(Instant atOrBefore) {
        LocalDateTime local = LocalDateTime.ofInstant(atOrBefore, zone);
        // The search starts just above the local time; in the repeated hour of a fall-back night, local times up to
        // the end of that hour resolve to its first occurrence, so they may still be at or before the instant.
        LocalDateTime bound = local.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isOverlap() && transition.getDateTimeBefore().isAfter(bound)) {
            bound = transition.getDateTimeBefore();
        }
        LocalDateTime cursor = bound;
        for (int step = 0; step < MAX_STEPS; step++) {
            LocalDateTime candidate = previousLocal(cursor);
            Instant at = resolve(candidate);
            if (!at.isAfter(atOrBefore)) {
                return ZonedDateTime.ofInstant(at, zone);
            }
            cursor = candidate;
        }
        throw new IllegalStateException("No tick of '" + expression + "' found before " + atOrBefore);
    }

    /** The last tick at or before {@code atOrBefore}, in the schedule's zone. */
    public ZonedDateTime previous(ZonedDateTime atOrBefore) {
        return previous(atOrBefore.toInstant());
    }

    /** The ticks in {@code (fromExclusive, toInclusive]}, oldest first, at most {@code limit} of them. */
    public List<ZonedDateTime> ticksBetween(Instant fromExclusive, Instant toInclusive, int limit) {
        List<ZonedDateTime> ticks = new ArrayList<>();
        Instant cursor = fromExclusive;
        while (ticks.size() < limit) {
            ZonedDateTime tick = next(cursor);
            if (tick.toInstant().isAfter(toInclusive)) {
                break;
            }
            ticks.add(tick);
            cursor = tick.toInstant();
        }
        return ticks;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }

    /**
     * Places a local time on the time line: a time skipped by a spring-forward change fires when the clocks jump; a
     * time repeated by a fall-back change fires at its first occurrence (the offset before the change).
     */
    private Instant resolve(LocalDateTime local) {
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return local.toInstant(rules.getValidOffsets(local).get(0));
    }

    // cron-utils is asked about local times dressed as UTC, where no daylight-saving change interferes.
    private LocalDateTime nextLocal(LocalDateTime after) {
        return execution.nextExecution(after.atZone(ZoneOffset.UTC))
                .orElseThrow(() -> new IllegalStateException("No tick of '" + expression + "' after " + after))
                .toLocalDateTime();
    }

    private LocalDateTime previousLocal(LocalDateTime before) {
        return execution.lastExecution(before.atZone(ZoneOffset.UTC))
                .orElseThrow(() -> new IllegalStateException("No tick of '" + expression + "' before " + before))
                .toLocalDateTime();
    }

    private static String expandNickname(String schedule, String nickname) {
        String fields = NICKNAMES.get(nickname.toLowerCase());
        if (fields != null) {
            return fields;
        }
        if (nickname.equalsIgnoreCase("@reboot")) {
            throw EntrepotException.badInput(where(schedule, nickname) + ": @reboot is not a time, and a schedule"
                    + " fires at times.", "Run the job when the daemon starts with 'entrepot run JOB', or " + HINT);
        }
        String suggestion = EditDistance.closest(nickname.toLowerCase(), NICKNAMES.keySet())
                .map(name -> "Did you mean '" + name + "'? ").orElse("");
        throw EntrepotException.badInput(where(schedule, nickname) + ": unknown nickname '" + nickname + "'.",
                suggestion + HINT);
    }

    private static Cron parseFields(String schedule, String expression, String fields) {
        String[] parts = fields.split("\\s+");
        if (parts.length != FIELD_NAMES.length) {
            String extra = parts.length == 6 || parts.length == 7
                    ? " Seconds and years (Quartz style) are not supported." : "";
            throw EntrepotException.badInput(where(schedule, expression) + " has " + parts.length + " field"
                    + (parts.length == 1 ? "" : "s") + "; a cron expression has 5 (minute hour day-of-month month"
                    + " day-of-week)." + extra, HINT);
        }
        try {
            Cron cron = new CronParser(UNIX).parse(fields);
            cron.validate();
            return cron;
        } catch (IllegalArgumentException e) {
            throw EntrepotException.badInput(where(schedule, expression) + " is not valid: " + failingField(parts)
                    + libraryReason(e) + ".", HINT);
        }
    }

    /** Which field is wrong, found by parsing each field alone (the library's message does not say). */
    private static String failingField(String[] parts) {
        CronParser parser = new CronParser(UNIX);
        for (int i = 0; i < parts.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = parts[i];
            try {
                parser.parse(String.join(" ", alone));
            } catch (IllegalArgumentException e) {
                return FIELD_NAMES[i] + " field '" + parts[i] + "': ";
            }
        }
        return "";
    }

    private static String libraryReason(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "unreadable" : e.getMessage();
        message = message.replace("Failed to parse cron expression. ", "");
        return message.endsWith(".") || message.endsWith("!") ? message.substring(0, message.length() - 1) : message;
    }

    private static String where(String schedule, String expression) {
        return "Schedule '" + schedule + "': cron expression '" + expression + "'";
    }

    private static Map<String, String> nicknames() {
        Map<String, String> nicknames = new LinkedHashMap<>();
        nicknames.put("@yearly", "0 0 1 1 *");
        nicknames.put("@annually", "0 0 1 1 *");
        nicknames.put("@monthly", "0 0 1 * *");
        nicknames.put("@weekly", "0 0 * * 0");
        nicknames.put("@daily", "0 0 * * *");
        nicknames.put("@midnight", "0 0 * * *");
        nicknames.put("@hourly", "0 * * * *");
        return Collections.unmodifiableMap(nicknames);
    }
}
