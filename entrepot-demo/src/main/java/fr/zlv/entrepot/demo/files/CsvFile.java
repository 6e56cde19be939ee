package fr.zlv.entrepot.demo.files;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a CSV file the way government files come: a chosen delimiter and encoding, maybe a byte-order
 * mark, quotes around every text or only where needed, Windows or Unix line ends.
 */
final class CsvFile implements AutoCloseable {

    private final BufferedWriter out;
    private final char delimiter;
    private final boolean quoteAllText;
    private final String newline;
    private long rows;

    CsvFile(Path path, Charset charset, boolean byteOrderMark, char delimiter, boolean quoteAllText, String newline) {
        try {
            OutputStream stream = Files.newOutputStream(path);
            if (byteOrderMark) {
                stream.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            this.out = new BufferedWriter(new OutputStreamWriter(stream, charset), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.delimiter = delimiter;
        this.quoteAllText = quoteAllText;
        this.newline = newline;
    }

    /** Writes one row; null is an empty field, strings may be quoted, everything else is written as is. */
    void row(List<?> values) {
        try {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(delimiter);
                }
                Object value = values.get(i);
                if (value == null) {
                    continue;
                }
                String text = value.toString();
                boolean quote = value instanceof String && (quoteAllText || text.indexOf(delimiter) >= 0
                        || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0);
                if (quote) {
                    out.write('"');
                    out.write(text.replace("\"", "\"\""));
                    out.write('"');
                } else {
                    out.write(text);
                }
            }
            out.write(newline);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
