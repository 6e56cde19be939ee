package fr.zlv.entrepot.core.warehouse;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows in PostgreSQL's COPY text format (tab between fields, {@code \N} for NULL, backslash escapes) into a
 * running COPY, through a fixed buffer: memory stays the same whatever the table's size.
 */
public final class CopyTextWriter {

    private static final int BUFFER = 1 << 18;

    private final CopyIn copy;
    private final byte[] buffer = new byte[BUFFER];
    private int used;
    private boolean rowStarted;
    private long bytes;

    public CopyTextWriter(CopyIn copy) {
        this.copy = copy;
    }

    /** A field: the value's text, or NULL. */
    public void field(String value) throws SQLException {
        separate();
        if (value == null) {
            ascii("\\N");
        } else {
            text(escape(value));
        }
    }

    /**
     * An array field: {@code {"a","b",NULL}}. Elements are quoted so that any text (commas, braces, spaces) reads
     * back as it was; PostgreSQL casts them to the column's element type.
     */
    public void arrayField(Object[] elements) throws SQLException {
        if (elements == null) {
            field(null);
            return;
        }
        StringBuilder literal = new StringBuilder(16 * elements.length + 2).append('{');
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            if (elements[i] == null) {
                literal.append("NULL");
            } else {
                literal.append('"');
                String element = elements[i].toString();
                for (int c = 0; c < element.length(); c++) {
                    char ch = element.charAt(c);
                    if (ch == '"' || ch == '\\') {
                        literal.append('\\');
                    }
                    literal.append(ch);
                }
                literal.append('"');
            }
        }
        field(literal.append('}').toString());
    }

    public void endRow() throws SQLException {
        put((byte) '\n');
        rowStarted = false;
    }

    /** Sends what is buffered; the caller then ends the COPY. */
    public void flush() throws SQLException {
        if (used > 0) {
            copy.writeToCopy(buffer, 0, used);
            bytes += used;
            used = 0;
        }
    }

    /** Bytes handed to PostgreSQL so far. */
    public long bytes() {
        return bytes + used;
    }

    /** The COPY text form of a value: backslash, tab, newline and carriage return escaped. */
    public static String escape(String value) {
        int i = 0;
        while (i < value.length()) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                break;
            }
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
        for (; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(ch);
            }
        }
        return escaped.toString();
    }

    private void separate() throws SQLException {
        if (rowStarted) {
            put((byte) '\t');
        }
        rowStarted = true;
    }

    private void ascii(String text) throws SQLException {
        for (int i = 0; i < text.length(); i++) {
            put((byte) text.charAt(i));
        }
    }

    private void text(String text) throws SQLException {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        if (used + encoded.length > BUFFER) {
            flush();
        }
        if (encoded.length > BUFFER) {
            copy.writeToCopy(encoded, 0, encoded.length);
            bytes += encoded.length;
            return;
        }
        System.arraycopy(encoded, 0, buffer, used, encoded.length);
        used += encoded.length;
    }

    private void put(byte b) throws SQLException {
        if (used == BUFFER) {
            flush();
        }
        buffer[used++] = b;
    }
}
