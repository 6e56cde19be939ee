package fr.zlv.entrepot.ingest.files;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How to read a file. CSV options map to DuckDB's {@code read_csv}; {@code sheet} and {@code range} are for
 * XLSX. Every option may be left out: DuckDB detects delimiters, quotes, headers and types by itself.
 */
public record ReadOptions(
        @JsonPropertyDescription("Field separator: ',', ';', '|', '\\t'.")
        String delimiter,
        @JsonPropertyDescription("Quote character.")
        String quote,
        @JsonPropertyDescription("Escape character inside quotes.")
        String escape,
        @JsonPropertyDescription("Whether the first row (after skip_rows) names the columns.")
        Boolean header,
        @JsonPropertyDescription("Lines (CSV) or rows (XLSX) above the header to skip: titles, notes.")
        Integer skipRows,
        @JsonPropertyDescription("utf-8 (default; a byte-order mark is skipped), latin-1, windows-1252, or any Java charset.")
        String encoding,
        @JsonPropertyDescription("',' for French decimals (1234,5).")
        String decimalSeparator,
        @JsonPropertyDescription("strftime format of dates, e.g. %d/%m/%Y.")
        String dateFormat,
        @JsonPropertyDescription("strftime format of timestamps.")
        String timestampFormat,
        @JsonPropertyDescription("The text that means NULL, e.g. NA.")
        String nullString,
        @JsonPropertyDescription("XLSX: the sheet's name (default: the first sheet).")
        String sheet,
        @JsonPropertyDescription("XLSX: the cells to read, e.g. A5:L34880 (header on the first row of the range).")
        String range) {

    public static ReadOptions none() {
        return new ReadOptions(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The encoding's canonical name: utf-8 when not given. */
    public String encodingOrDefault() {
        if (encoding == null || encoding.isBlank()) {
            return "utf-8";
        }
        String lower = encoding.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (lower) {
            case "utf8", "utf-8-sig", "utf-8 with bom" -> "utf-8";
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> "latin-1";
            default -> lower;
        };
    }
}
