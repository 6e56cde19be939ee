package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.LoadReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints the result of loading files: one line per source, then the failures with their hints. */
final class FilesPrinter {

    private FilesPrinter() {
    }

    static void print(PrintStream out, List<FileIngestion.Outcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("source", "table", "rows", "rejected", "file MB", "file", "seconds", "status"));
        long totalRows = 0;
        long totalRejected = 0;
        for (FileIngestion.Outcome outcome : outcomes) {
            LoadReport report = outcome.report();
            if (report == null) {
                rows.add(List.of(outcome.source().name(), outcome.source().target().toString(), "", "", "", "", "",
                        "FAILED"));
                continue;
            }
            totalRows += report.rows();
            totalRejected += report.rejected();
            rows.add(List.of(report.source(), report.target(), Output.count(report.rows()), Output.count(report.rejected()),
                    Output.megabytes(report.bytes()), fileState(report),
                    Output.decimal(report.fetchSeconds() + report.loadSeconds(), 2),
                    report.status() == LoadReport.Status.UNCHANGED ? "unchanged" : "loaded"));
        }
        rows.add(List.of("total", "", Output.count(totalRows), Output.count(totalRejected), "", "", "", ""));
        Output.table(out, rows);
        for (FileIngestion.Outcome outcome : outcomes) {
            if (outcome.report() != null && outcome.report().rejected() > 0) {
                out.println("  " + outcome.report().source() + ": " + outcome.report().rejected() + " rows set aside in "
                        + outcome.source().rejectsTable() + " (file, line, column, error)");
            }
        }
        // Sources with the same extra columns (the LOVAC millésimes) share one line.
        Map<List<String>, List<String>> extraColumns = new LinkedHashMap<>();
        for (FileIngestion.Outcome outcome : outcomes) {
            if (outcome.report() != null && !outcome.report().extraColumns().isEmpty()) {
                extraColumns.computeIfAbsent(outcome.report().extraColumns(), columns -> new ArrayList<>())
                        .add(outcome.report().source());
            }
        }
        extraColumns.forEach((extra, sources) -> out.println("  " + String.join(", ", sources) + ": " + extra.size()
                + " column(s) beyond expect.columns (" + String.join(", ", extra.subList(0, Math.min(4, extra.size())))
                + (extra.size() > 4 ? ", ..." : "") + ")"));
        for (FileIngestion.Outcome outcome : outcomes) {
            if (outcome.failed()) {
                out.println("  FAILED " + outcome.source().name() + ": " + outcome.error().getMessage());
                if (outcome.error().hint() != null) {
                    out.println("         hint: " + outcome.error().hint());
                }
            }
        }
    }

    private static String fileState(LoadReport report) {
        if (fr.zlv.entrepot.core.storage.Location.parse(report.location()).kind()
                == fr.zlv.entrepot.core.storage.Location.Kind.FILE) {
            return "local";
        }
        return report.fromCache() ? "cached" : "downloaded";
    }

    /** The outcomes as JSON-friendly maps. */
    static List<Map<String, Object>> json(List<FileIngestion.Outcome> outcomes) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (FileIngestion.Outcome outcome : outcomes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source", outcome.source().name());
            entry.put("target", outcome.source().target().toString());
            entry.put("status", outcome.failed() ? "failed" : outcome.report().status().name().toLowerCase());
            if (outcome.report() != null) {
                entry.put("report", outcome.report());
            }
            if (outcome.failed()) {
                entry.put("error", outcome.error().getMessage());
                entry.put("hint", outcome.error().hint());
            }
            list.add(entry);
        }
        return list;
    }
}
