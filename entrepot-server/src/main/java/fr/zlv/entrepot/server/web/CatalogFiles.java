package fr.zlv.entrepot.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The dbt documentation site ({@code entrepot dbt docs generate} writes it to the project's {@code target/}) under
 * {@code /catalog/}: files under that directory only, read-only.
 */
final class CatalogFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("sql", "text/plain; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"));

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
        String name = relative == null || relative.isEmpty() || relative.endsWith("/") ? relative + "index.html"
                : relative;
        Path file = directory.resolve(name).normalize();
        // Nothing outside the directory, and no hidden files.
        if (!file.startsWith(directory) || file.getFileName().toString().startsWith(".")
                || !Files.isRegularFile(file)) {
            throw WebError.notFound("No such page in the catalog: " + relative + ".");
        }
        String fileName = file.getFileName().toString();
        String extension = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ctx.status(200).contentType(TYPES.getOrDefault(extension, "application/octet-stream"))
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .result(Files.readAllBytes(file));
    }
}
