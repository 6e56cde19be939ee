package fr.zlv.entrepot.server;

import fr.zlv.entrepot.core.EntrepotException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as people write it in a filter: an instant ({@code 2026-11-01T08:00:00Z}), a day
 * ({@code 2026-11-01}, from midnight UTC), or an age ({@code 90m}, {@code 24h}, {@code 7d}: that long before now).
 */
public final class TimeFilter {

    private static final Pattern AGE = Pattern.compile("([0-9]+)([smhd])");

    private TimeFilter() {
    }

    /** @throws EntrepotException (bad input) naming the value when it is none of the three forms */
    public static Instant parse(String text, Instant now) {
        String value = text.strip();
        Matcher age = AGE.matcher(value);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration duration = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(duration);
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw EntrepotException.badInput("'" + text + "' is not a time.",
                    "Write an instant (2026-11-01T08:00:00Z), a day (2026-11-01) or an age (90m, 24h, 7d).");
        }
    }
}
