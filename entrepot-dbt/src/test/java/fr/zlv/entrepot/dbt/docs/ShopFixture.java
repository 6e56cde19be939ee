package fr.zlv.entrepot.dbt.docs;

import fr.zlv.entrepot.dbt.DbtEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fixture dbt project (src/test/resources/projects/shop) copied to a directory, for the docs tests: a small
 * copy of fr.zlv.entrepot.dbt.ShopProject, which is private to its package.
 */
final class ShopFixture {

    final Path directory;

    private ShopFixture(Path directory) {
        this.directory = directory;
    }

    /** Copies the shop project into {@code parent}/shop, replacing what an earlier run left there. */
    static ShopFixture copyTo(Path parent) {
        try {
            Path source = Path.of(ShopFixture.class.getResource("/projects/shop").toURI());
            Path target = parent.resolve("shop");
            delete(target);
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path path : walk.toList()) {
                    Path copy = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy);
                    }
                }
            }
            return new ShopFixture(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    DbtEngine load() {
        return DbtEngine.load(DbtEngine.Options.of(directory).withEnvironment(Map.of()).withConsole(line -> { }));
    }

    /** Replaces {@code text} by {@code replacement} in one of the project's files. */
    void edit(String relativePath, String text, String replacement) {
        try {
            Path file = directory.resolve(relativePath);
            String content = Files.readString(file);
            if (!content.contains(text)) {
                throw new IllegalArgumentException(relativePath + " has no '" + text + "'");
            }
            Files.writeString(file, content.replace(text, replacement));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
