package fr.zlv.entrepot.demo.production;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into one PostgreSQL table with {@code COPY ... FROM STDIN} in PostgreSQL's text format.
 *
 * <p>Fields are appended in column order, then {@link #endRow()}; rows are buffered and sent in 256 kB
 * chunks, so a table of any size is written without holding it in memory. Call {@link #finish()} to
 * end the COPY and get the row count PostgreSQL reports.
 */
final class CopyWriter {

    private static final int FLUSH_AT = 256 * 1024;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final CopyIn copy;
    private final StringBuilder row = new StringBuilder(1024);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_AT + 8192);
    private boolean firstField = true;
    private long rows;

    CopyWriter(Connection connection, String table, List<String> columns) throws SQLException {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    }

    private StringBuilder field() {
        if (!firstField) {
            row.append('\t');
        }
        firstField = false;
        return row;
    }

    CopyWriter nul() {
        field().append("\\N");
        return this;
    }

    CopyWriter text(String value) {
        if (value == null) {
            return nul();
        }
        escape(field(), value);
        return this;
    }

    CopyWriter uuid(UUID value) {
        if (value == null) {
            return nul();
        }
        StringBuilder out = field();
        appendHex(out, value.getMostSignificantBits() >>> 32, 8).append('-');
        appendHex(out, value.getMostSignificantBits() >>> 16, 4).append('-');
        appendHex(out, value.getMostSignificantBits(), 4).append('-');
        appendHex(out, value.getLeastSignificantBits() >>> 48, 4).append('-');
        appendHex(out, value.getLeastSignificantBits(), 12);
        return this;
    }

    CopyWriter integer(long value) {
        field().append(value);
        return this;
    }

    CopyWriter integer(Integer value) {
        return value == null ? nul() : integer(value.longValue());
    }

    CopyWriter number(Double value) {
        if (value == null) {
            return nul();
        }
        field().append(value.doubleValue());
        return this;
    }

    CopyWriter bool(Boolean value) {
        if (value == null) {
            return nul();
        }
        field().append(value ? 't' : 'f');
        return this;
    }

    CopyWriter date(LocalDate value) {
        if (value == null) {
            return nul();
        }
        field().append(value);
        return this;
    }

    /** A timestamptz from seconds since 1970, written in UTC. */
    CopyWriter timestamp(Long epochSecond) {
        if (epochSecond == null) {
            return nul();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder out = field();
        out.append(time.toLocalDate()).append(' ');
        two(out, time.getHour()).append(':');
        two(out, time.getMinute()).append(':');
        two(out, time.getSecond()).append("+00");
        return this;
    }

    /** A text[] value; elements are quoted, so commas and spaces are safe. */
    CopyWriter textArray(List<String> values) {
        if (values == null) {
            return nul();
        }
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            String element = values.get(i);
            if (element == null) {
                literal.append("NULL");
            } else {
                literal.append('"').append(element.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return text(literal.append('}').toString());
    }

    CopyWriter intArray(int... values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(values[i]);
        }
        field().append(literal.append('}'));
        return this;
    }

    /** A bytea value, in PostgreSQL's hex form. */
    CopyWriter bytes(byte[] value) {
        if (value == null) {
            return nul();
        }
        StringBuilder out = field().append("\\\\x");
        for (byte b : value) {
            out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return this;
    }

    /** Bytes as bare hex, as PostGIS reads well-known binary. */
    CopyWriter hex(byte[] value) {
        StringBuilder out = field();
        for (byte b : value) {
            out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return this;
    }

    void endRow() throws SQLException {
        row.append('\n');
        byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
        buffer.write(bytes, 0, bytes.length);
        row.setLength(0);
        firstField = true;
        rows++;
        if (buffer.size() >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (buffer.size() > 0) {
            copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            buffer.reset();
        }
    }

    /** Ends the COPY; returns the number of rows PostgreSQL stored. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    /** Abandons the COPY (nothing of it is kept). */
    void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The connection is being discarded anyway.
        }
    }

    long rows() {
        return rows;
    }

    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static StringBuilder appendHex(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (value >>> shift) & 0xF]);
        }
        return out;
    }

    private static StringBuilder two(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }
}
