package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "warehouse", mixinStandardHelpOptions = true,
        description = "Look at the warehouse file.",
        subcommands = {WarehouseCommand.Info.class})
final class WarehouseCommand {

    @ParentCommand
    EntrepotCommand root;

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the warehouse's file, DuckDB version, settings, and its tables with their rows.")
    static final class Info implements Runnable {

        @ParentCommand
        WarehouseCommand parent;

        @Option(names = "--path", paramLabel = "FILE",
                description = "Another warehouse file than the settings' (e.g. the demo's).")
        Path path;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            WarehouseSettings settings = loaded.settings().warehouse();
            if (path != null) {
                settings = settings.withPath(path.toAbsolutePath().toString()).withTempDirectory(null);
            }
            if (!settings.isPostgres() && !Files.exists(Path.of(settings.path()))) {
                throw EntrepotException.badInput("There is no warehouse at " + settings.path() + " yet.",
                        "Build one with `entrepot ingest production`, or try `entrepot demo`.");
            }
            try (Warehouse warehouse = Warehouse.open(settings)) {
                Map<String, Object> info = describe(warehouse);
                if (json) {
                    Output.json(System.out, info);
                    return;
                }
                System.out.println("Warehouse " + info.get("path"));
                if (info.containsKey("postgresql")) {
                    System.out.println("  " + info.get("postgresql") + ", " + info.get("size_mb") + " MB");
                } else {
                    System.out.println("  DuckDB " + info.get("duckdb") + ", " + info.get("size_mb") + " MB, memory limit "
                            + info.get("memory_limit") + ", " + info.get("threads") + " threads");
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("table", "rows"));
                @SuppressWarnings("unchecked")
                Map<String, Long> tables = (Map<String, Long>) info.get("tables");
                tables.forEach((table, count) -> rows.add(List.of(table, Output.count(count))));
                Output.table(System.out, rows);
                if (info.get("last_production_sync") != null) {
                    System.out.println("  last production sync: " + info.get("last_production_sync"));
                }
            }
        }

        private static Map<String, Object> describe(Warehouse warehouse) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("path", warehouse.location());
            if (warehouse.isPostgres()) {
                String version = warehouse.engineVersion();
                info.put("postgresql", version.contains(" on ") ? version.substring(0, version.indexOf(" on ")) : version);
                info.put("size_mb", Output.megabytes(Long.parseLong(warehouse.queryValue("SELECT pg_database_size(current_database())"))));
            } else {
                info.put("duckdb", warehouse.engineVersion());
                try {
                    info.put("size_mb", Output.megabytes(Files.size(Path.of(warehouse.location()))));
                } catch (IOException e) {
                    info.put("size_mb", "?");
                }
                info.put("memory_limit", warehouse.setting("memory_limit"));
                info.put("threads", warehouse.setting("threads"));
            }
            Map<String, Long> tables = new LinkedHashMap<>();
            for (String schema : warehouse.schemas()) {
                for (TableName table : warehouse.tables(schema)) {
                    tables.put(table.toString(), warehouse.rowCount(table));
                }
            }
            info.put("tables", tables);
            info.put("last_production_sync", lastSync(warehouse));
            return info;
        }

        private static String lastSync(Warehouse warehouse) {
            if (!warehouse.exists(new TableName("_entrepot", "production_sync"))) {
                return null;
            }
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT max(synced_at)::VARCHAR, (SELECT source_server FROM"
                         + " _entrepot.production_sync ORDER BY synced_at DESC LIMIT 1) FROM _entrepot.production_sync")) {
                rows.next();
                return rows.getString(1) + " from " + rows.getString(2);
            } catch (SQLException e) {
                return null;
            }
        }
    }
}
