package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.production.ProductionSync;
import fr.zlv.entrepot.ingest.production.SourceTable;
import fr.zlv.entrepot.ingest.production.SyncReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Bring data into the warehouse.",
        subcommands = {IngestCommand.Production.class, IngestCommand.Files.class})
final class IngestCommand {

    @ParentCommand
    EntrepotCommand root;

    @Command(name = "production", mixinStandardHelpOptions = true,
            description = {"Copy the production PostgreSQL tables into schema production, read-only and in one snapshot.",
                    "Each table is built beside the live one and all are swapped in together: a failure changes nothing."})
    static final class Production implements Runnable {

        @ParentCommand
        IngestCommand parent;

        @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
                description = "Only this table (as named in schema production, or its source name); repeatable.")
        List<String> tables = new ArrayList<>();

        @Option(names = "--dry-run",
                description = "Only check the connection and print what would be copied: columns, types, slices.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            if (dryRun) {
                plan(loaded);
                return;
            }
            try (Warehouse warehouse = Warehouse.open(loaded.settings().warehouse())) {
                SyncReport report = sync(loaded, warehouse, tables, !json);
                if (json) {
                    Output.json(System.out, report);
                } else {
                    System.out.println("Production synced into " + warehouse.location());
                    SyncPrinter.print(System.out, report);
                }
            }
        }

        private void plan(LoadedSettings loaded) {
            List<SourceTable> plan;
            try (Warehouse scratch = Warehouse.inMemory()) {
                plan = new ProductionSync(loaded.settings().production(), scratch).plan(tables);
            }
            // The types each column will have: the warehouse's engine decides them.
            boolean postgres = loaded.settings().warehouse().isPostgres();
            if (json) {
                Output.json(System.out, plan.stream().map(table -> Map.of(
                        "table", "production." + table.name(),
                        "source", table.qualifiedName(),
                        "estimated_rows", table.estimatedRows(),
                        "columns", table.mappings().stream().map(mapping -> mapping.describe(postgres)).toList(),
                        "slices", table.slices().stream().map(SourceTable.Slice::fromClause).toList(),
                        "warnings", table.warnings())).toList());
                return;
            }
            System.out.println("Would copy, read-only, from " + loaded.settings().production().jdbcUrl() + " into the "
                    + (postgres ? "PostgreSQL" : "DuckDB") + " warehouse:");
            for (SourceTable table : plan) {
                System.out.println("production." + table.name() + " ← " + table.qualifiedName() + ": about "
                        + Output.count(table.estimatedRows()) + " rows, " + Output.megabytes(table.bytesOnDisk())
                        + " MB, in " + table.slices().size() + " slice(s)");
                table.mappings().forEach(mapping -> System.out.println("    " + mapping.describe(postgres)));
                table.warnings().forEach(warning -> System.out.println("    warning: " + warning));
            }
        }
    }

    @Command(name = "files", mixinStandardHelpOptions = true,
            description = {"Load the yearly and reference files of the source catalog (LOVAC, FF, INSEE, DGFIP...).",
                    "Each file is downloaded once (cached by ETag), checked, built beside its table and swapped in;",
                    "a source that fails is reported and changes nothing, the others go on."})
    static final class Files implements Runnable {

        @ParentCommand
        IngestCommand parent;

        @picocli.CommandLine.Mixin
        SourceSelection selection;

        @Option(names = "--catalog", paramLabel = "FILE", description = "Another source catalog than files.catalog.")
        java.nio.file.Path catalog;

        @Option(names = "--force", description = "Load again files that have not changed since their last load.")
        boolean force;

        @Option(names = "--dry-run", description = "Only check that each file is there; download and load nothing.")
        boolean dryRun;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            List<fr.zlv.entrepot.ingest.files.FileSource> chosen = selection.of(Lake.catalog(loaded, catalog,
                    System.getenv()));
            try (Lake lake = new Lake(loaded)) {
                if (dryRun) {
                    try (Warehouse scratch = Warehouse.inMemory()) {
                        printChecks(new FileIngestion(scratch, lake.cache, lake.cacheDirectory).check(chosen));
                    }
                    return;
                }
                try (Warehouse warehouse = Warehouse.open(loaded.settings().warehouse())) {
                    List<FileIngestion.Outcome> outcomes = loadFiles(warehouse, lake, chosen, force, !json);
                    if (json) {
                        Output.json(System.out, FilesPrinter.json(outcomes));
                    } else {
                        System.out.println("Files loaded into " + warehouse.location());
                        FilesPrinter.print(System.out, outcomes);
                    }
                    failIfAny(outcomes);
                }
            }
        }

        private void printChecks(List<FileIngestion.Check> checks) {
            if (json) {
                Output.json(System.out, checks.stream().map(check -> Map.of(
                        "source", check.source().name(),
                        "location", check.source().location().toString(),
                        "found", check.error() == null,
                        "size", check.info() == null ? -1 : check.info().size(),
                        "cached", check.cached(),
                        "problem", check.error() == null ? "" : check.error().getMessage())).toList());
            } else {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("source", "location", "MB", "state"));
                for (FileIngestion.Check check : checks) {
                    rows.add(List.of(check.source().name(), check.source().location().toString(),
                            check.info() == null ? "" : Output.megabytes(check.info().size()),
                            check.error() != null ? "MISSING" : check.cached() ? "cached" : "to download"));
                }
                Output.table(System.out, rows, false);
            }
            failIfMissing(checks, !json);
        }
    }

    /** Names each file that is not where the catalog says, then fails when there is one. */
    static void failIfMissing(List<FileIngestion.Check> checks, boolean print) {
        List<FileIngestion.Check> missing = checks.stream().filter(check -> check.error() != null).toList();
        if (print) {
            missing.forEach(check -> System.out.println("  MISSING " + check.source().name() + ": "
                    + check.error().getMessage() + (check.error().hint() == null ? "" : " " + check.error().hint())));
            System.out.println((checks.size() - missing.size()) + " of " + checks.size() + " files found.");
        }
        if (!missing.isEmpty()) {
            throw EntrepotException.failed(missing.size() + " file(s) of the catalog are missing.",
                    "Fix their locations in the catalog, or put the files there.", null);
        }
    }

    /** Loads files with a progress bar over their bytes (downloaded, or loaded from the cache) and rows. */
    static List<FileIngestion.Outcome> loadFiles(Warehouse warehouse, Lake lake,
                                                 List<fr.zlv.entrepot.ingest.files.FileSource> sources, boolean force,
                                                 boolean showProgress) {
        Progress[] bar = new Progress[1];
        java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
        try {
            return new FileIngestion(warehouse, lake.cache, lake.cacheDirectory).run(sources, force,
                    new FileIngestion.Listener() {
                        @Override
                        public synchronized void planned(List<fr.zlv.entrepot.ingest.files.FileSource> all, long bytes) {
                            bar[0] = Progress.start("files", Math.max(1, bytes >> 20), "MB", showProgress);
                        }

                        @Override
                        public synchronized void bytes(long bytes) {
                            bar[0].add(bytes >> 20 > 0 ? bytes >> 20 : 0);
                        }

                        @Override
                        public synchronized void rows(long count) {
                            bar[0].message(Output.count(rows.addAndGet(count)) + " rows");
                        }

                        @Override
                        public synchronized void done(FileIngestion.Outcome outcome) {
                            bar[0].message(Output.count(rows.get()) + " rows, " + outcome.source().name()
                                    + (outcome.failed() ? " failed" : " done"));
                        }
                    });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
    }

    static void failIfAny(List<FileIngestion.Outcome> outcomes) {
        List<String> failed = outcomes.stream().filter(FileIngestion.Outcome::failed)
                .map(outcome -> outcome.source().name()).toList();
        if (!failed.isEmpty()) {
            throw EntrepotException.failed(failed.size() + " of " + outcomes.size() + " sources failed: "
                    + String.join(", ", failed) + ".", "Their tables are unchanged; the others were loaded.", null);
        }
    }

    /** Runs the sync with a progress bar on the rows. */
    static SyncReport sync(LoadedSettings loaded, Warehouse warehouse, List<String> tables, boolean showProgress) {
        ProductionSync sync = new ProductionSync(loaded.settings().production(), warehouse);
        Progress[] bar = new Progress[1];
        try {
            return sync.run(tables, new ProductionSync.Listener() {
                @Override
                public void planned(List<SourceTable> sources) {
                    long estimated = sources.stream().mapToLong(SourceTable::estimatedRows).sum();
                    bar[0] = Progress.start("production sync", estimated, "rows", showProgress);
                }

                @Override
                public void rows(String table, long rows) {
                    bar[0].add(rows);
                }
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
    }
}
