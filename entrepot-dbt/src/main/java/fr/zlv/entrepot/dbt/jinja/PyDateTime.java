package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Python's {@code datetime} as dbt's Jinja uses it: {@code run_started_at.strftime('%Y%m%d')},
 * {@code modules.datetime.datetime.now()}, {@code modules.datetime.date.today()}. A value renders as Python
 * prints it.
 */
public final class PyDateTime implements PyishSerializable {

    private final ZonedDateTime value;
    private final boolean dateOnly;

    public PyDateTime(ZonedDateTime value, boolean dateOnly) {
        this.value = value;
        this.dateOnly = dateOnly;
    }

    public static PyDateTime now() {
        return new PyDateTime(ZonedDateTime.now(ZoneOffset.UTC), false);
    }

    public String strftime(String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char code = format.charAt(++i);
            out.append(switch (code) {
                case 'Y' -> String.format("%04d", value.getYear());
                case 'y' -> String.format("%02d", value.getYear() % 100);
                case 'm' -> String.format("%02d", value.getMonthValue());
                case 'd' -> String.format("%02d", value.getDayOfMonth());
                case 'H' -> String.format("%02d", value.getHour());
                case 'M' -> String.format("%02d", value.getMinute());
                case 'S' -> String.format("%02d", value.getSecond());
                case 'f' -> String.format("%06d", value.getNano() / 1000);
                case 'j' -> String.format("%03d", value.getDayOfYear());
                case 'A' -> value.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
                case 'a' -> value.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
                case 'B' -> value.getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
                case 'b' -> value.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
                case 'z' -> value.getOffset().getId().equals("Z") ? "+0000" : value.getOffset().getId().replace(":", "");
                case '%' -> "%";
                default -> "%" + code;
            });
        }
        return out.toString();
    }

    public String isoformat() {
        return dateOnly ? value.toLocalDate().toString()
                : value.toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + offset();
    }

    public int getYear() {
        return value.getYear();
    }

    public int getMonth() {
        return value.getMonthValue();
    }

    public int getDay() {
        return value.getDayOfMonth();
    }

    public int getHour() {
        return value.getHour();
    }

    public PyDateTime date() {
        return new PyDateTime(value.truncatedTo(ChronoUnit.DAYS), true);
    }

    /** Adds whole days (Python's {@code + timedelta(days=n)}). */
    public PyDateTime plus_days(long days) {
        return new PyDateTime(value.plusDays(days), dateOnly);
    }

    public long timestamp() {
        return value.toEpochSecond();
    }

    private String offset() {
        return value.getOffset().getId().equals("Z") ? "+00:00" : value.getOffset().getId();
    }

    @Override
    public String toString() {
        if (dateOnly) {
            return value.toLocalDate().toString();
        }
        return value.toLocalDateTime().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")) + offset();
    }

    /** {@code modules.datetime}: the {@code datetime} and {@code date} classes. */
    public static final class Module {
        public DatetimeClass getDatetime() {
            return new DatetimeClass();
        }

        public DateClass getDate() {
            return new DateClass();
        }

        /** {@code modules.datetime.date(2024, 3, 1)}. */
        public PyDateTime date(long year, long month, long day) {
            return new PyDateTime(LocalDate.of((int) year, (int) month, (int) day).atStartOfDay(ZoneOffset.UTC), true);
        }

        /** {@code modules.datetime.datetime(2024, 3, 1, 12, 0, 0)}. */
        public PyDateTime datetime(long year, long month, long day, long hour, long minute, long second) {
            return new PyDateTime(LocalDateTime.of((int) year, (int) month, (int) day, (int) hour, (int) minute,
                    (int) second).atZone(ZoneOffset.UTC), false);
        }

        public PyDateTime datetime(long year, long month, long day) {
            return datetime(year, month, day, 0, 0, 0);
        }

        /** A day count: Python's timedelta, keyword arguments left out (Jinja calls on Java take positions only). */
        public long timedelta(long days) {
            return days;
        }
    }

    /** {@code modules.datetime.datetime}. */
    public static final class DatetimeClass {
        public PyDateTime now() {
            return new PyDateTime(ZonedDateTime.now(), false);
        }

        public PyDateTime utcnow() {
            return PyDateTime.now();
        }

        public PyDateTime strptime(String text, String format) {
            String pattern = format.replace("%Y", "yyyy").replace("%m", "MM").replace("%d", "dd").replace("%H", "HH")
                    .replace("%M", "mm").replace("%S", "ss");
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern);
            if (pattern.contains("HH")) {
                return new PyDateTime(LocalDateTime.parse(text, formatter).atZone(ZoneOffset.UTC), false);
            }
            return new PyDateTime(LocalDate.parse(text, formatter).atStartOfDay(ZoneOffset.UTC), false);
        }

        public PyDateTime fromisoformat(String text) {
            if (text.length() <= 10) {
                return new PyDateTime(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC), false);
            }
            return new PyDateTime(LocalDateTime.parse(text.replace(' ', 'T')).atZone(ZoneOffset.UTC), false);
        }
    }

    /** {@code modules.datetime.date}. */
    public static final class DateClass {
        public PyDateTime today() {
            return new PyDateTime(LocalDate.now().atStartOfDay(ZoneOffset.UTC), true);
        }

        public PyDateTime fromisoformat(String text) {
            return new PyDateTime(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC), true);
        }
    }

    /** Jinja prints a datetime as Python's str() does, as dbt does. */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws java.io.IOException {
        return (T) appendable.append(toString());
    }
}
