package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "The catalog of yearly and reference files (warehouse/sources.yml).",
        subcommands = {SourcesCommand.ListSources.class, SourcesCommand.Validate.class})
final class SourcesCommand {

    @ParentCommand
    EntrepotCommand root;

    @Option(names = "--catalog", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Another source catalog than files.catalog.")
    Path catalog;

    SourceCatalog catalog(LoadedSettings loaded) {
        return Lake.catalog(loaded, catalog, System.getenv());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sources: provider, format, location, table.")
    static final class ListSources implements Runnable {

        @ParentCommand
        SourcesCommand parent;

        @picocli.CommandLine.Mixin
        SourceSelection selection;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            SourceCatalog catalog = parent.catalog(loaded);
            List<FileSource> sources = selection.of(catalog);
            if (json) {
                List<Map<String, Object>> entries = new ArrayList<>();
                for (FileSource source : sources) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("name", source.name());
                    entry.put("provider", source.provider());
                    entry.put("year", source.year());
                    entry.put("format", source.format().name().toLowerCase());
                    entry.put("location", source.location().toString());
                    entry.put("target", source.target().toString());
                    entry.put("description", source.description());
                    entries.add(entry);
                }
                Output.json(System.out, entries);
                return;
            }
            System.out.println(sources.size() + " sources in " + catalog.file());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("name", "provider", "format", "table", "location"));
            for (FileSource source : sources) {
                rows.add(List.of(source.name(), source.provider(), source.format().name().toLowerCase(),
                        source.target().toString(), source.location().toString()));
            }
            Output.table(System.out, rows, false);
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check the catalog: syntax, names, targets, read options (exit 0, or 2 with the problem).",
                    "With --remote, also check that every file is where the catalog says (nothing is downloaded)."})
    static final class Validate implements Runnable {

        @ParentCommand
        SourcesCommand parent;

        @Option(names = "--remote", description = "Also ask each store whether the file is there.")
        boolean remote;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            SourceCatalog catalog = parent.catalog(loaded);
            System.out.println("The catalog " + catalog.file() + " is valid: " + catalog.sources().size() + " sources.");
            if (!remote) {
                return;
            }
            try (Lake lake = new Lake(loaded); Warehouse scratch = Warehouse.inMemory()) {
                IngestCommand.failIfMissing(new FileIngestion(scratch, lake.cache, lake.cacheDirectory)
                        .check(catalog.sources()), true);
            }
        }
    }
}
