package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.dbt.docs.DocsServer;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dbt documentation site ({@code entrepot dbt docs generate} writes it to the project's {@code target/}) under
 * {@code /catalog/}: files under that directory only, read-only.
 */
final class CatalogFiles {

    private final Path directory;

    /** @param directory the docs' directory; null or missing: the catalog page says how to generate it */
    CatalogFiles(Path directory) {
        this.directory = directory == null ? null : directory.toAbsolutePath().normalize();
    }

    void serve(Context ctx, String relative) throws WebError, IOException {
        if (directory == null || !Files.isRegularFile(directory.resolve("index.html"))) {
            throw WebError.notFound("The catalog has not been generated: run 'entrepot dbt docs generate' (the demo"
                    + " does it), then reload.");
        }
        // The same rules as `entrepot dbt docs serve`: nothing outside the directory, no hidden file.
        Path file = DocsServer.fileUnder(directory.toRealPath(), relative == null ? "" : relative);
        if (file == null) {
            throw WebError.notFound("No such page in the catalog: " + relative + ".");
        }
        ctx.status(200).contentType(DocsServer.contentType(file))
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .result(Files.readAllBytes(file));
    }
}
