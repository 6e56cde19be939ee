package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which sources of the catalog a command works on: by name, provider and millésime. */
final class SourceSelection {

    @Option(names = {"-s", "--source"}, paramLabel = "NAME", description = "Only this source; repeatable.")
    List<String> names = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "P", description = "Only this provider's sources (CEREMA, INSEE...).")
    String provider;

    @Option(names = "--year", paramLabel = "Y", description = "Only this millésime.")
    Integer year;

    List<FileSource> of(SourceCatalog catalog) {
        return catalog.select(names, provider, year);
    }
}
