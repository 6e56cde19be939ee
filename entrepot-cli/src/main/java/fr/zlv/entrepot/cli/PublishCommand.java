package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.Backups;
import fr.zlv.entrepot.publish.DatabaseExport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code entrepot publish} (the publication assets, through the orchestrator) and {@code entrepot restore}. */
final class PublishCommand {

    private PublishCommand() {
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Publish the marts of publish.yml: the BI DuckDB file (atomic swap), the PostgreSQL serving"
                    + " schema (swapped in one transaction), object storage (versioned), a backup; each table passes the"
                    + " privacy check first.", "Runs the publish/ assets through the orchestrator (history: entrepot runs)."})
    static final class Publish implements Runnable {
        @ParentCommand
        EntrepotCommand root;

        @Option(names = "--target", split = ",", paramLabel = "TARGET",
                description = "Only these targets: bi, postgres, s3, backup, export, motherduck (default: bi, postgres,"
                        + " s3, backup, motherduck, the ones configured).")
        List<String> targets = new ArrayList<>();

        @Option(names = "--json", description = "Print the run as JSON.")
        boolean json;

        @Override
        public void run() {
            List<String> terms = new ArrayList<>();
            for (String target : targets) {
                terms.add(switch (target) {
                    case "bi", "postgres" -> "publish/" + target + "/";
                    case "s3", "backup", "export", "motherduck" -> "key:publish/" + target;
                    default -> throw EntrepotException.badInput("Unknown publication target '" + target + "'.",
                            "Use bi, postgres, s3, backup, export or motherduck.");
                });
            }
            WarehouseSettings warehouse = root.settings().settings().warehouse();
            if (warehouse.isPostgres()) {
                for (String target : targets) {
                    if (List.of("backup", "export", "motherduck").contains(target)) {
                        throw EntrepotException.badInput("The " + target + " target copies a DuckDB warehouse file;"
                                + " the warehouse " + Warehouse.describeUrl(warehouse.path())
                                + " is a PostgreSQL database.", "Back it up with pg_dump (pg_dump -Fc -d DATABASE) or"
                                + " the database's own backups; the targets bi, postgres and s3 publish from it.");
                    }
                }
            }
            String selection = terms.isEmpty() ? "group:publish - tag:manual" : String.join(" ", terms);
            RunCommand.execute(root, json, orchestrator -> orchestrator.materialize(selection, "publish"));
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put a backup of the warehouse back in place (atomically), or list the backups.",
                    "Stop the daemon first: the warehouse file has one writer."})
    static final class Restore implements Runnable {
        @ParentCommand
        EntrepotCommand root;

        @Parameters(paramLabel = "BACKUP", arity = "0..1", defaultValue = Backups.LATEST,
                description = "The backup's name (see --list), or latest (default).")
        String name;

        @Option(names = "--list", description = "Only list the backups.")
        boolean list;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = root.settings();
            Backups backups = new Backups(Path.of(loaded.settings().publish().backupDirectory()),
                    loaded.settings().publish().keepDaily(), loaded.settings().publish().keepMonthly());
            if (list) {
                List<Map<String, Object>> rows = backups.list().stream().map(backup -> Map.<String, Object>of(
                        "name", backup.name(), "taken_at", backup.takenAt().toString(), "bytes", backup.bytes(),
                        "file", backup.file().toString())).toList();
                if (json) {
                    Output.json(System.out, rows);
                } else {
                    List<List<String>> table = new ArrayList<>();
                    table.add(List.of("backup", "taken at", "MB"));
                    backups.list().forEach(backup -> table.add(List.of(backup.name(), backup.takenAt().toString(),
                            Output.megabytes(backup.bytes()))));
                    Output.table(System.out, table, false);
                }
                return;
            }
            if (loaded.settings().warehouse().isPostgres()) {
                throw EntrepotException.badInput("entrepot restore puts a DuckDB warehouse file back in place; the"
                        + " warehouse " + Warehouse.describeUrl(loaded.settings().warehouse().path())
                        + " is a PostgreSQL database.", "Restore a PostgreSQL warehouse with pg_restore or the"
                        + " database's own backups.");
            }
            Path warehouse = Path.of(loaded.settings().warehouse().path());
            Backups.Backup restored = backups.restore(name, warehouse);
            if (json) {
                Output.json(System.out, Map.of("restored", restored.name(), "warehouse", warehouse.toString()));
            } else {
                System.out.println("Restored backup " + restored.name() + " (" + restored.takenAt() + ") into " + warehouse);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Build a new warehouse file from an export (`entrepot publish --target export`): a directory,"
                    + " or its location in object storage (s3://bucket/prefix/<warehouse>-<time>).",
                    "The file is written beside under a temporary name and renamed when complete; an existing file is"
                            + " never overwritten (to replace the warehouse, use restore)."})
    static final class Import implements Runnable {
        @ParentCommand
        EntrepotCommand root;

        @Parameters(paramLabel = "EXPORT", description = "The export: a directory or s3://bucket/prefix/<export>.")
        String export;

        @Option(names = "--into", required = true, paramLabel = "FILE", description = "The new DuckDB file.")
        Path into;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = root.settings();
            long started = System.nanoTime();
            try (Lake lake = new Lake(loaded)) {
                new DatabaseExport().importFrom(Location.parse(export), into, lake.store);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (json) {
                Output.json(System.out, Map.of("imported", export, "warehouse", into.toAbsolutePath().toString(),
                        "seconds", seconds));
            } else {
                System.out.printf(java.util.Locale.ROOT, "Imported %s into %s (%.1f s)%n", export,
                        into.toAbsolutePath(), seconds);
            }
        }
    }
}
