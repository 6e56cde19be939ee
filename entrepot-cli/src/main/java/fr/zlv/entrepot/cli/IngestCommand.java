package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.ingest.production.ColumnMapping;
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
        subcommands = {IngestCommand.Production.class})
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
            if (json) {
                Output.json(System.out, plan.stream().map(table -> Map.of(
                        "table", "production." + table.name(),
                        "source", table.qualifiedName(),
                        "estimated_rows", table.estimatedRows(),
                        "columns", table.mappings().stream().map(ColumnMapping::toString).toList(),
                        "slices", table.slices().stream().map(SourceTable.Slice::fromClause).toList(),
                        "warnings", table.warnings())).toList());
                return;
            }
            System.out.println("Would copy, read-only, from " + loaded.settings().production().jdbcUrl() + ":");
            for (SourceTable table : plan) {
                System.out.println("production." + table.name() + " ← " + table.qualifiedName() + ": about "
                        + Output.count(table.estimatedRows()) + " rows, " + Output.megabytes(table.bytesOnDisk())
                        + " MB, in " + table.slices().size() + " slice(s)");
                table.mappings().forEach(mapping -> System.out.println("    " + mapping));
                table.warnings().forEach(warning -> System.out.println("    warning: " + warning));
            }
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
