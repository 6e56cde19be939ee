package fr.zlv.entrepot.ingest.files;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.TableName;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * Streams one sheet of an XLSX workbook into a DuckDB table through the appender, row by row (fastexcel's
 * reader never holds the sheet in memory). Every cell is appended as text into a raw table while each
 * column's type is learnt from its cells (whole numbers, decimals, dates, booleans, text); the caller then
 * casts the raw table into its final types.
 */
final class XlsxTable {

    /** What was read: the columns, in order, with the type learnt for each, and the number of rows. */
    record Read(List<String> columns, List<String> inferredTypes, long rows) {
    }

    private static final Pattern RANGE = Pattern.compile("([A-Z]+)([0-9]+):([A-Z]+)([0-9]*)");
    static final String ROW_NUMBER = "__row";

    private XlsxTable() {
    }

    /** The header of the sheet: the columns' names, without reading the rows. */
    static List<String> header(Path file, ReadOptions read) {
        return readSheet(file, read, null, null, count -> { }).columns();
    }

    /** Appends the sheet's rows to {@code raw} (created here: VARCHAR columns and the sheet row number). */
    static Read appendTo(Path file, ReadOptions read, Connection connection, TableName raw, LongConsumer rows) {
        return readSheet(file, read, connection, raw, rows);
    }

    private static Read readSheet(Path file, ReadOptions read, Connection connection, TableName raw, LongConsumer progress) {
        int firstColumn = 0;
        int lastColumn = Integer.MAX_VALUE;
        int headerRow = read.skipRows() == null ? 1 : read.skipRows() + 1;
        int lastRow = Integer.MAX_VALUE;
        if (read.range() != null) {
            Matcher range = RANGE.matcher(read.range());
            if (!range.matches()) {
                throw EntrepotException.badInput("XLSX range '" + read.range() + "' is not like A5:L34880.", null);
            }
            firstColumn = columnIndex(range.group(1));
            headerRow = Integer.parseInt(range.group(2));
            lastColumn = columnIndex(range.group(3));
            lastRow = range.group(4).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(range.group(4));
        }
        boolean header = read.header() == null || read.header();
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, false))) {
            Sheet sheet = read.sheet() == null ? workbook.getFirstSheet() : workbook.findSheet(read.sheet())
                    .orElseThrow(() -> EntrepotException.badInput("The workbook " + file.getFileName() + " has no sheet '"
                            + read.sheet() + "'.", "Its sheets: " + sheetNames(workbook) + "."));
            try (Stream<Row> stream = sheet.openStream()) {
                Iterator<Row> rows = stream.iterator();
                Row first = null;
                while (rows.hasNext()) {
                    Row row = rows.next();
                    if (row.getRowNum() >= headerRow) {
                        first = row;
                        break;
                    }
                }
                if (first == null) {
                    return new Read(List.of(), List.of(), 0);
                }
                int lastCell = lastColumn == Integer.MAX_VALUE ? first.getCellCount() : Math.min(lastColumn + 1,
                        first.getCellCount());
                int width = Math.max(0, lastCell - firstColumn);
                List<String> columns = new ArrayList<>();
                if (header) {
                    Set<String> seen = new HashSet<>();
                    for (int c = 0; c < width; c++) {
                        String name = Optional.ofNullable(first.getCell(firstColumn + c)).map(Cell::getText)
                                .map(String::strip).filter(text -> !text.isEmpty()).orElse("column" + (c + 1));
                        String unique = name;
                        for (int n = 1; !seen.add(unique); n++) {
                            unique = name + "_" + n;
                        }
                        columns.add(unique);
                    }
                } else {
                    for (int c = 0; c < width; c++) {
                        columns.add("column" + (c + 1));
                    }
                }
                if (connection == null) {
                    return new Read(columns, List.of(), 0);
                }
                ColumnTypes types = new ColumnTypes(width);
                long count = 0;
                createRaw(connection, raw, columns);
                try (var appender = connection.unwrap(org.duckdb.DuckDBConnection.class).createAppender(raw.schema(),
                        raw.name())) {
                    if (!header) {
                        count += append(appender, first, firstColumn, width, types);
                    }
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        if (row.getRowNum() > lastRow) {
                            break;
                        }
                        if (isBlank(row, firstColumn, width)) {
                            continue;
                        }
                        count += append(appender, row, firstColumn, width, types);
                        if (count % 10_000 == 0) {
                            progress.accept(10_000);
                        }
                    }
                }
                progress.accept(count % 10_000);
                return new Read(columns, types.inferred(), count);
            }
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the workbook " + file.getFileName() + ": " + e.getMessage(),
                    "Is it an .xlsx file (not .xls, not a CSV renamed)?");
        } catch (SQLException e) {
            throw EntrepotException.failed("Appending the rows of " + file.getFileName() + " failed: " + e.getMessage(),
                    null, e);
        }
    }

    private static void createRaw(Connection connection, TableName raw, List<String> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TABLE ").append(raw.sql()).append(" (")
                .append(TableName.quote(ROW_NUMBER)).append(" INTEGER");
        for (String column : columns) {
            ddl.append(", ").append(TableName.quote(column)).append(" VARCHAR");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl.append(")").toString());
        }
    }

    private static int append(org.duckdb.DuckDBAppender appender, Row row, int firstColumn, int width,
                              ColumnTypes types) throws SQLException {
        appender.beginRow();
        appender.append(row.getRowNum());
        for (int c = 0; c < width; c++) {
            Cell cell = row.getCell(firstColumn + c);
            String text = textOf(cell, types, c);
            if (text == null) {
                appender.appendNull();
            } else {
                appender.append(text);
            }
        }
        appender.endRow();
        return 1;
    }

    /** The cell as text DuckDB can cast, and what it tells of its column's type. */
    private static String textOf(Cell cell, ColumnTypes types, int column) {
        if (cell == null || cell.getType() == CellType.EMPTY || cell.getType() == CellType.ERROR) {
            return null;
        }
        switch (cell.getType()) {
            case NUMBER -> {
                if (isDateFormat(cell.getDataFormatString())) {
                    LocalDateTime date = cell.asDate();
                    boolean midnight = date.toLocalTime().toSecondOfDay() == 0;
                    types.see(column, midnight ? Kind.DATE : Kind.TIMESTAMP);
                    return midnight ? date.toLocalDate().toString() : date.toString().replace('T', ' ');
                }
                BigDecimal number = cell.asNumber();
                boolean whole = number.stripTrailingZeros().scale() <= 0
                        && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0;
                types.see(column, whole ? Kind.WHOLE : Kind.DECIMAL);
                return whole ? number.toBigInteger().toString() : number.toPlainString();
            }
            case BOOLEAN -> {
                types.see(column, Kind.BOOLEAN);
                return String.valueOf(cell.asBoolean());
            }
            default -> {
                String text = cell.getText();
                if (text == null || text.isBlank()) {
                    return null;
                }
                types.see(column, Kind.TEXT);
                return text;
            }
        }
    }

    /** Excel shows a number as a date when its format has day, month or year fields outside quotes and brackets. */
    static boolean isDateFormat(String format) {
        if (format == null || format.equalsIgnoreCase("General")) {
            return false;
        }
        String bare = format.replaceAll("\"[^\"]*\"", "").replaceAll("\\[[^]]*]", "").toLowerCase(Locale.ROOT);
        return bare.matches(".*[dmy].*") && !bare.contains("0") && !bare.contains("#");
    }

    private static boolean isBlank(Row row, int firstColumn, int width) {
        for (int c = 0; c < width; c++) {
            Cell cell = row.getCell(firstColumn + c);
            if (cell != null && cell.getType() != CellType.EMPTY && cell.getText() != null && !cell.getText().isBlank()) {
                return false;
            }
        }
        return true;
    }

    static int columnIndex(String letters) {
        int index = 0;
        for (char letter : letters.toCharArray()) {
            index = index * 26 + (letter - 'A' + 1);
        }
        return index - 1;
    }

    private static String sheetNames(ReadableWorkbook workbook) {
        return String.join(", ", workbook.getSheets().map(Sheet::getName).toList());
    }

    private enum Kind { WHOLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN, TEXT }

    /** The kinds of values seen in each column, and the DuckDB type that holds them all. */
    private static final class ColumnTypes {
        private final List<Set<Kind>> seen = new ArrayList<>();

        ColumnTypes(int width) {
            for (int c = 0; c < width; c++) {
                seen.add(java.util.EnumSet.noneOf(Kind.class));
            }
        }

        void see(int column, Kind kind) {
            seen.get(column).add(kind);
        }

        List<String> inferred() {
            List<String> types = new ArrayList<>();
            for (Set<Kind> kinds : seen) {
                if (kinds.isEmpty() || kinds.contains(Kind.TEXT)) {
                    types.add("VARCHAR");
                } else if (kinds.equals(Set.of(Kind.WHOLE))) {
                    types.add("BIGINT");
                } else if (kinds.stream().allMatch(kind -> kind == Kind.WHOLE || kind == Kind.DECIMAL)) {
                    types.add("DOUBLE");
                } else if (kinds.equals(Set.of(Kind.DATE))) {
                    types.add("DATE");
                } else if (kinds.stream().allMatch(kind -> kind == Kind.DATE || kind == Kind.TIMESTAMP)) {
                    types.add("TIMESTAMP");
                } else if (kinds.equals(Set.of(Kind.BOOLEAN))) {
                    types.add("BOOLEAN");
                } else {
                    types.add("VARCHAR");
                }
            }
            return types;
        }
    }
}
