package fr.zlv.entrepot.dbt.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code docs generate} wrote.
 *
 * @param files           every file written: manifest.json, catalog.json, then the site's files
 * @param expected        the relations the project has: models (not ephemeral), seeds, snapshots, sources
 * @param catalogued      those found in the warehouse (catalog.json's nodes and sources)
 * @param compileErrors   the nodes that did not compile ("model.shop.x: message"): their page has no compiled SQL
 * @param catalogErrors   what stopped the catalog from reading the warehouse (also in catalog.json's errors)
 */
public record DocsResult(Path targetDirectory, Path manifestFile, Path catalogFile, Path indexFile, List<Path> files,
                         int expected, int catalogued, List<String> compileErrors, List<String> catalogErrors) {

    public DocsResult {
        files = List.copyOf(files);
        compileErrors = List.copyOf(compileErrors);
        catalogErrors = List.copyOf(catalogErrors);
    }

    /** What the command prints once done, as dbt's lines. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        compileErrors.forEach(error -> lines.add("Warning: not compiled: " + error));
        catalogErrors.forEach(error -> lines.add("Warning: " + error));
        lines.add("Catalog: " + catalogued + " of " + expected + " relations found in the warehouse.");
        lines.add("Catalog written to " + catalogFile.toAbsolutePath());
        lines.add("Documentation site written to " + indexFile.toAbsolutePath());
        return lines;
    }
}
