package fr.zlv.entrepot.publish;

import static fr.zlv.entrepot.publish.BiFiles.count;
import static fr.zlv.entrepot.publish.BiFiles.marts;
import static fr.zlv.entrepot.publish.BiFiles.plan;
import static fr.zlv.entrepot.publish.BiFiles.reader;
import static fr.zlv.entrepot.publish.BiFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A publishing process killed in the middle of a copy: the live BI file is the previous one, the next works. */
class KilledPublicationTest {

    @TempDir
    Path directory;

    @Test
    void aProcessKilledMidCopyLeavesThePreviousPublicationAndTheNextOneCleansUp() throws Exception {
        Path warehouseFile = directory.resolve("w.duckdb");
        Path bi = directory.resolve("bi/entrepot-bi.duckdb");
        PublicationReport previous;
        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            marts(warehouse, 1, 500);
            // Big enough that its copy takes a while: random strings do not compress.
            warehouse.execute("CREATE VIEW marts.marts_big AS SELECT i, md5(i::VARCHAR) AS m FROM range(3000000) t(i)");
            previous = new BiFilePublisher().publish(warehouse, plan(directory, "marts_a"), PublicationGate.OPEN, bi);
        }
        String before = BiFilePublisherTest.digest(bi);

        Path log = directory.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledPublicationChild.class.getName(), warehouseFile.toString(), bi.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForLine(child, log, "copying marts_big");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        // Whether it was killed during the big copy or just after (waiting): for whoever reads the test's output.
        System.out.println("the killed child said: " + Files.readString(log));

        assertThat(BiFilePublisherTest.digest(bi)).isEqualTo(before);
        assertThat(BiFilePublisherTest.fileNames(bi.getParent())).anyMatch(name -> name.endsWith(".tmp"));
        try (Connection connection = reader(bi)) {
            assertThat(strings(connection, "SELECT DISTINCT version FROM published_at"))
                    .containsExactly(previous.version());
            assertThat(count(connection, "SELECT count(*) FROM a")).isEqualTo(500);
        }

        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            marts(warehouse, 2, 700);
            new BiFilePublisher().publish(warehouse, plan(directory, "marts_a"), PublicationGate.OPEN, bi);
        }
        assertThat(BiFilePublisherTest.fileNames(bi.getParent()))
                .containsExactlyInAnyOrder("entrepot-bi.duckdb", "entrepot-bi.duckdb.lock");
        try (Connection connection = reader(bi)) {
            assertThat(count(connection, "SELECT count(DISTINCT version) FROM published_at")).isEqualTo(2);
            assertThat(count(connection, "SELECT count(*) FROM a WHERE generation = 2")).isEqualTo(700);
        }
    }

    private static void waitForLine(Process child, Path log, String line) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readAllLines(log).contains(line)) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child ended before copying marts_big: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child never started copying marts_big: " + Files.readString(log));
    }
}
