package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.ingest.production.SyncReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints a production sync's summary: one line per table, then the totals. */
final class SyncPrinter {

    private SyncPrinter() {
    }

    static void print(PrintStream out, SyncReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("table", "rows", "MB", "seconds", "rows/s", "slices"));
        for (SyncReport.TableReport table : report.tables()) {
            rows.add(List.of("production." + table.table(), Output.count(table.rows()), Output.megabytes(table.bytes()),
                    Output.decimal(table.seconds(), 2), Output.count(Math.round(table.rowsPerSecond())),
                    String.valueOf(table.slices())));
        }
        rows.add(List.of("total", Output.count(report.totalRows()), Output.megabytes(report.totalBytes()),
                Output.decimal(report.seconds(), 2), Output.count(Math.round(report.rowsPerSecond())), ""));
        Output.table(out, rows);
        for (SyncReport.TableReport table : report.tables()) {
            for (String warning : table.warnings()) {
                out.println("  warning: production." + table.table() + ": " + warning);
            }
        }
        out.println("  read from " + report.source() + (report.snapshot() == null ? " in one session"
                : " in snapshot " + report.snapshot()) + ", " + Output.decimal(report.megabytesPerSecond(), 1) + " MB/s");
    }
}
