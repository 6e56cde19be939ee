package fr.zlv.entrepot.dbt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** The fixture dbt project (src/test/resources/projects/shop), copied to a temporary directory for one test. */
final class ShopProject {

    final Path directory;
    final List<String> lines = new CopyOnWriteArrayList<>();

    private ShopProject(Path directory) {
        this.directory = directory;
    }

    static ShopProject copyTo(Path temporary) {
        return copy("shop", temporary);
    }

    static ShopProject copy(String name, Path temporary) {
        try {
            Path source = Path.of(ShopProject.class.getResource("/projects/" + name).toURI());
            Path target = temporary.resolve(name);
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
            return new ShopProject(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    DbtEngine.Options options() {
        return DbtEngine.Options.of(directory).withEnvironment(Map.of()).withConsole(line -> {
            lines.add(line);
            System.out.println(line);
        });
    }

    /**
     * Adds a {@code pg} target on the database to profiles.yml (schema {@code main}, as DuckDB's default, so the
     * relations have the same names on both engines), and returns options using it.
     */
    DbtEngine.Options onPostgres(TestPostgres.Database database) {
        write("profiles.yml", read("profiles.yml") + database.target("pg", "main", 4));
        return options().withTarget("pg").withEnvironment(database.environment());
    }

    DbtEngine load() {
        return DbtEngine.load(options());
    }

    void write(String relativePath, String text) {
        try {
            Path file = directory.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String relativePath) {
        try {
            return Files.readString(directory.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        return String.join("\n", lines);
    }
}
