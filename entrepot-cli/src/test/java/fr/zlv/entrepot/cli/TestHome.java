package fr.zlv.entrepot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A folder of settings and project files written by a test, and the command line run against its settings. */
record TestHome(Path root) {

    /** Writes {@code text} to {@code path} under the folder, creating its parent folders. */
    void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The command line with {@code --config <root>/entrepot.yml} added. */
    CommandRun entrepot(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = root.resolve("entrepot.yml").toString();
        return CommandRun.of(all);
    }
}
