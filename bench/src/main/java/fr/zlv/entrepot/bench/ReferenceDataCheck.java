package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * bench/reference-data: loads every file of {@code ../shared/reference-data} with its one catalog entry
 * ({@code bench/reference-data.yml}) and compares the rows loaded with the file's own count of lines (less
 * the header). Exits 1 when a count differs or a file fails.
 */
public final class ReferenceDataCheck {

    private ReferenceDataCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path catalogFile = Path.of(args.length > 0 ? args[0] : "bench/reference-data.yml");
        SourceCatalog catalog = SourceCatalog.load(catalogFile, System.getenv());
        Path work = Files.createTempDirectory("entrepot-reference-");
        boolean ok = true;
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(work.resolve("w.duckdb").toString(), null, null,
                null)); ObjectStores store = new ObjectStores(StorageSettings.defaults())) {
            long started = System.nanoTime();
            List<FileIngestion.Outcome> outcomes = new FileIngestion(warehouse, new FileCache(work.resolve("cache"), store),
                    work).run(catalog.sources(), true, FileIngestion.Listener.NONE);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "%-28s %-42s %12s %12s %9s  %s%n", "file", "table", "rows loaded",
                    "file rows", "rejected", "");
            StringBuilder md = new StringBuilder("## Reference data (`bench/reference-data.sh`)\n\n")
                    .append("Every file of `../shared/reference-data`, loaded with its one entry of `bench/reference-data.yml`,")
                    .append(" against the file's own line count (less the header).\n\n")
                    .append("| file | table | rows loaded | file rows | rejected | |\n|---|---|---:|---:|---:|---|\n");
            for (FileIngestion.Outcome outcome : outcomes) {
                FileSource source = outcome.source();
                long expected = dataLines(source.location().path());
                if (outcome.failed()) {
                    ok = false;
                    System.out.printf(Locale.ROOT, "%-28s %-42s %12s %12d %9s  FAILED: %s%n", source.location().fileName(),
                            source.target(), "-", expected, "-", outcome.error().getMessage());
                    md.append(String.format(Locale.ROOT, "| %s | %s | - | %,d | - | FAILED |%n",
                            source.location().fileName(), source.target(), expected));
                    continue;
                }
                long rows = outcome.report().rows();
                boolean same = rows == expected && outcome.report().rejected() == 0;
                ok &= same;
                System.out.printf(Locale.ROOT, "%-28s %-42s %,12d %,12d %,9d  %s%n", source.location().fileName(),
                        source.target(), rows, expected, outcome.report().rejected(), same ? "ok" : "DIFFERENT");
                md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %s |%n", source.location().fileName(),
                        source.target(), rows, expected, outcome.report().rejected(), same ? "ok" : "DIFFERENT"));
            }
            System.out.printf(Locale.ROOT, "%d files in %.2f s%n", outcomes.size(), seconds);
            md.append(String.format(Locale.ROOT, "%n%d files in %.2f s (%s).%n", outcomes.size(), seconds,
                    java.time.LocalDate.now()));
            BenchmarkReport.replaceSection(Path.of("BENCHMARKS.md"), "reference-data", md.toString());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** Lines of the file (a last line without a line end counts), less the header line. */
    static long dataLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[read - 1];
            }
        }
        return (last == '\n' ? lines : lines + 1) - 1;
    }
}
