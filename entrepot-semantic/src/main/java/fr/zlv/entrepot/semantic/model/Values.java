package fr.zlv.entrepot.semantic.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns a value written by a person (in semantic.yml or in a query) into a value of a column's type, ready to be
 * bound as a parameter: text stays text, whole numbers become {@code Long}, numbers {@code Double}, booleans
 * {@code Boolean}; dates, timestamps and UUIDs are checked and kept as their canonical text (the SQL casts them).
 * A value that does not fit is refused here, with a message for the user, and never reaches the database.
 */
public final class Values {

    private Values() {
    }

    /** Thrown when a value does not fit the column's type; the message names the value and the type. */
    public static final class BadValueException extends IllegalArgumentException {
        public BadValueException(String message) {
            super(message);
        }
    }

    public static Object coerce(Object raw, DataType type) {
        if (raw == null) {
            throw new BadValueException("a value is missing (null)");
        }
        return switch (type) {
            case STRING, UNKNOWN, OTHER, LIST -> text(raw);
            case INTEGER -> whole(raw);
            case FLOAT -> number(raw);
            case BOOLEAN -> bool(raw);
            case DATE -> date(raw);
            case TIMESTAMP, TIMESTAMPTZ -> timestamp(raw);
            case UUID -> uuid(raw);
        };
    }

    private static String text(Object raw) {
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            return raw.toString();
        }
        throw new BadValueException("'" + shorten(raw) + "' is not a text value");
    }

    private static Long whole(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (raw instanceof BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException e) {
                throw new BadValueException("'" + shorten(raw) + "' is not a whole number");
            }
        }
        if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
            return d.longValue();
        }
        if (raw instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new BadValueException("'" + shorten(raw) + "' is not a whole number");
            }
        }
        throw new BadValueException("'" + shorten(raw) + "' is not a whole number");
    }

    private static Double number(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                double value = Double.parseDouble(s.trim());
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new BadValueException("'" + shorten(raw) + "' is not a number");
    }

    private static Boolean bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            String value = s.trim().toLowerCase(Locale.ROOT);
            if (value.equals("true") || value.equals("false")) {
                return Boolean.valueOf(value);
            }
        }
        throw new BadValueException("'" + shorten(raw) + "' is not true or false");
    }

    private static String date(Object raw) {
        if (raw instanceof String s) {
            try {
                return LocalDate.parse(s.trim()).toString();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw new BadValueException("'" + shorten(raw) + "' is not a date (YYYY-MM-DD)");
    }

    private static String timestamp(Object raw) {
        if (raw instanceof String s) {
            String value = s.trim();
            try {
                return LocalDate.parse(value).toString();
            } catch (DateTimeParseException e) {
                // not a date: a date and time?
            }
            try {
                return LocalDateTime.parse(value).toString();
            } catch (DateTimeParseException e) {
                // with an offset?
            }
            try {
                return OffsetDateTime.parse(value).toString();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw new BadValueException("'" + shorten(raw)
                + "' is not a date or timestamp (YYYY-MM-DD, YYYY-MM-DDThh:mm:ss, optionally with an offset)");
    }

    private static String uuid(Object raw) {
        if (raw instanceof String s) {
            try {
                return java.util.UUID.fromString(s.trim()).toString();
            } catch (IllegalArgumentException e) {
                // refused below
            }
        }
        throw new BadValueException("'" + shorten(raw) + "' is not a UUID");
    }

    /** A value quoted in a message: at most 60 characters. */
    public static String shorten(Object raw) {
        String text = String.valueOf(raw);
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
