package fr.zlv.entrepot.publish;

import static fr.zlv.entrepot.publish.BiFiles.marts;
import static fr.zlv.entrepot.publish.BiFiles.plan;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BI tools run in their own processes: one holding the old file keeps it, one opening after the swap gets the new. */
class BiReaderProcessTest {

    @TempDir
    Path directory;

    @Test
    void aReaderProcessKeepsItsVersionWhileAnotherOpensTheNewOne() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        BiFilePublisher publisher = new BiFilePublisher();
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("w.duckdb"))) {
            marts(warehouse, 1, 10);
            publisher.publish(warehouse, plan(directory, "marts_a", "marts_b"), PublicationGate.OPEN, bi);
            Reader old = new Reader(bi);
            try {
                assertThat(old.count("SELECT count(*) FROM a")).isEqualTo(10);
                marts(warehouse, 2, 30);
                publisher.publish(warehouse, plan(directory, "marts_a", "marts_b"), PublicationGate.OPEN, bi);

                Reader fresh = new Reader(bi);
                try {
                    assertThat(fresh.count("SELECT count(*) FROM b WHERE generation = 2")).isEqualTo(30);
                    assertThat(fresh.count("SELECT count(DISTINCT version) FROM published_at")).isEqualTo(2);
                } finally {
                    fresh.close();
                }
                assertThat(old.count("SELECT count(*) FROM b WHERE generation = 1")).isEqualTo(10);
                assertThat(old.count("SELECT count(DISTINCT version) FROM published_at")).isEqualTo(1);
            } finally {
                old.close();
            }
        }
    }

    /** A {@link BiReaderChild} process and its pipes. */
    private static final class Reader {
        private final Process process;
        private final BufferedReader output;
        private final PrintWriter input;

        Reader(Path bi) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    BiReaderChild.class.getName(), bi.toString()).redirectErrorStream(true).start();
            output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            assertThat(answer("open")).isEqualTo("open");
        }

        long count(String sql) throws Exception {
            input.println(sql);
            return Long.parseLong(answer("= ").substring(2));
        }

        /** The next line of the child that starts with {@code prefix} (log lines are skipped). */
        private String answer(String prefix) throws Exception {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError("the reader process ended without answering, exit code " + process.waitFor());
        }

        void close() throws Exception {
            input.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
