package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.files.LakeFiles;
import fr.zlv.entrepot.ingest.files.FileLoader;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.files.LoadReport;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * bench/file-load: a LOVAC-like CSV of about 1 GB (the 2023 format: latin-1, semicolons, decimal commas),
 * loaded by Entrepôt with the shipped catalog's entry (sniffing, expected columns, rejects table, row count,
 * swap, history) and, in the same run, by DuckDB's plain {@code read_csv} with the same read options (the
 * floor); then the XLSX reader's rows per second on a generated workbook.
 * Arguments: {@code --housings N} (default 3,800,000, about 1 GB), {@code --rounds R} (default 2),
 * {@code --xlsx-rows N} (default 300,000), {@code --report FILE}.
 */
public final class FileLoadBenchmark {

    private FileLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long housings = 3_800_000;
        int rounds = 2;
        int xlsxRows = 300_000;
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--housings" -> housings = Long.parseLong(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--xlsx-rows" -> xlsxRows = Integer.parseInt(args[++i].replace("_", ""));
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path data = Path.of("bench", "target", "data");
        Files.createDirectories(data);
        Path csv = data.resolve("lovac-like-" + housings + ".csv");
        if (!Files.exists(csv)) {
            System.out.println("writing " + csv + " (" + housings + " housings)");
            long started = System.nanoTime();
            LakeFiles.writeLargeLovac(42, housings, csv);
            System.out.printf(Locale.ROOT, "written in %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
        long bytes = Files.size(csv);
        FileSource lovac = SourceCatalog.load(Path.of("warehouse", "sources.yml"), Map.of()).select(List.of("lovac_2024"),
                null, null).get(0).withLocation(Location.parse(csv.toAbsolutePath().toString()));

        double bestEntrepot = Double.MAX_VALUE;
        double bestFloor = Double.MAX_VALUE;
        long rows = 0;
        long rejected = 0;
        for (int round = 1; round <= rounds; round++) {
            double floor = floor(csv, lovac, data.resolve("floor.duckdb"));
            LoadReport report = entrepot(lovac, data.resolve("entrepot.duckdb"), data);
            rows = report.rows();
            rejected = report.rejected();
            System.out.printf(Locale.ROOT, "round %d: entrepot %.2f s, read_csv %.2f s%n", round, report.loadSeconds(), floor);
            bestEntrepot = Math.min(bestEntrepot, report.loadSeconds());
            bestFloor = Math.min(bestFloor, floor);
        }
        Path workbook = data.resolve("prix-volumes-" + xlsxRows + ".xlsx");
        if (!Files.exists(workbook)) {
            writeWorkbook(workbook, xlsxRows);
        }
        double xlsxSeconds = Double.MAX_VALUE;
        long xlsxLoaded = 0;
        for (int round = 1; round <= rounds; round++) {
            LoadReport xlsx = entrepot(xlsxSource(workbook), data.resolve("xlsx.duckdb"), data);
            xlsxSeconds = Math.min(xlsxSeconds, xlsx.loadSeconds());
            xlsxLoaded = xlsx.rows();
        }
        String markdown = markdown(bytes, rows, rejected, bestEntrepot, bestFloor, rounds, xlsxLoaded, xlsxSeconds,
                Files.size(workbook));
        System.out.println(markdown);
        BenchmarkReport.replaceSection(reportFile, "file-load", markdown);
        for (String name : List.of("floor.duckdb", "entrepot.duckdb", "xlsx.duckdb")) {
            Files.deleteIfExists(data.resolve(name));
            Files.deleteIfExists(data.resolve(name + ".wal"));
        }
    }

    /** DuckDB's own read_csv of the file, with the read options the file needs, into a table. */
    private static double floor(Path csv, FileSource lovac, Path database) throws Exception {
        Files.deleteIfExists(database);
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(database.toString(), null, null, null))) {
            String types = lovac.types().entrySet().stream().map(t -> "'" + t.getKey() + "': '" + t.getValue() + "'")
                    .collect(Collectors.joining(", "));
            long started = System.nanoTime();
            warehouse.execute("CREATE TABLE lovac.plain AS SELECT * FROM read_csv('" + csv + "', delim = ';',"
                    + " encoding = 'latin-1', decimal_separator = ',', types = {" + types + "})");
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static LoadReport entrepot(FileSource source, Path database, Path work) throws Exception {
        Files.deleteIfExists(database);
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(database.toString(), null, null, null));
             ObjectStores store = new ObjectStores(StorageSettings.defaults())) {
            FileCache cache = new FileCache(work.resolve("cache"), store);
            return new FileLoader(warehouse, work).load(source, cache.fetch(source.location(), n -> { }), true, n -> { });
        }
    }

    private static FileSource xlsxSource(Path workbook) {
        return new FileSource("prix_volumes_bench", "CEREMA", null, null, Location.parse(workbook.toAbsolutePath().toString()),
                FileSource.Format.XLSX, new fr.zlv.entrepot.ingest.files.ReadOptions(null, null, null, null, 2, null, null,
                null, null, null, "Bâti", null), Map.of("codgeo", "VARCHAR"),
                new TableName("external", "prix_volumes_bench"), fr.zlv.entrepot.ingest.files.Expectations.none(),
                FileSource.OnError.REJECT, null);
    }

    /** A DV3F-like workbook: two title rows, then a header and numbers, text and dates. */
    private static void writeWorkbook(Path file, int rows) throws Exception {
        System.out.println("writing " + file + " (" + rows + " rows)");
        SplittableRandom random = new SplittableRandom(7);
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook book = new Workbook(out, "entrepot-bench", "1.0");
            Worksheet sheet = book.newWorksheet("Bâti");
            sheet.value(0, 0, "Prix et volumes des ventes par commune");
            String[] header = {"codgeo", "libgeo", "nb_mutations", "prix_median", "prix_m2", "surface_mediane",
                    "part_maisons", "annee", "date_maj", "commentaire"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(2, c, header[c]);
            }
            for (int r = 0; r < rows; r++) {
                int row = 3 + r;
                sheet.value(row, 0, String.format("%05d", 1000 + r % 98_000));
                sheet.value(row, 1, "Commune " + r);
                sheet.value(row, 2, random.nextInt(500));
                sheet.value(row, 3, 50_000 + random.nextInt(400_000));
                sheet.value(row, 4, 800 + random.nextDouble() * 6_000);
                sheet.value(row, 5, 40 + random.nextDouble() * 100);
                sheet.value(row, 6, random.nextDouble());
                sheet.value(row, 7, 2013 + r % 12);
                sheet.value(row, 8, LocalDate.of(2024, 1 + r % 12, 1 + r % 28));
                sheet.style(row, 8).format("dd/mm/yyyy").set();
                sheet.value(row, 9, r % 10 == 0 ? "secret statistique" : "");
                if (r % 50_000 == 0) {
                    sheet.flush();
                }
            }
            book.finish();
        }
    }

    private static String markdown(long bytes, long rows, long rejected, double entrepot, double floor, int rounds,
                                   long xlsxRows, double xlsxSeconds, long xlsxBytes) {
        StringBuilder md = new StringBuilder("## Yearly files (`bench/file-load.sh`)\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s on %d cores. A LOVAC-like CSV in the 2023 format (latin-1,"
                        + " semicolons, decimal commas, %d columns of the demo's LOVAC) of %,.0f MB and %,d rows, loaded into a"
                        + " DuckDB file; best of %d rounds, both ways in each round.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), 53, bytes / 1e6, rows, rounds));
        md.append("| way | seconds | MB/s | rows/s | vs read_csv |\n|---|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| Entrepôt load (sniffing, expected columns, rejects table, row count, swap,"
                        + " history) | %.2f | %.1f | %,.0f | %.2f× the time |%n", entrepot, bytes / 1e6 / entrepot,
                rows / entrepot, entrepot / floor));
        md.append(String.format(Locale.ROOT, "| DuckDB `read_csv` alone (same options), the floor | %.2f | %.1f | %,.0f |"
                + " 1.00× |%n", floor, bytes / 1e6 / floor, rows / floor));
        md.append(String.format(Locale.ROOT, "%nRejected rows: %d. XLSX: %,d rows × 10 columns (%.1f MB workbook, numbers,"
                        + " text, dates) streamed through the appender and cast: %.2f s, %,.0f rows/s.%n", rejected, xlsxRows,
                xlsxBytes / 1e6, xlsxSeconds, xlsxRows / xlsxSeconds));
        return md.toString();
    }
}
