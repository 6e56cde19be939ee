package fr.zlv.entrepot.publish;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * A BI tool in its own process: opens the BI file read-only once, then answers each SQL count read on its input
 * with a line "= n", until its input ends. Argument: the BI file.
 */
public final class BiReaderChild {

    private BiReaderChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = BiFiles.reader(Path.of(args[0]));
             BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("open");
            System.out.flush();
            for (String sql = input.readLine(); sql != null; sql = input.readLine()) {
                System.out.println("= " + BiFiles.count(connection, sql));
                System.out.flush();
            }
        }
    }
}
