package fr.zlv.entrepot.publish;

import static fr.zlv.entrepot.publish.BiFiles.count;
import static fr.zlv.entrepot.publish.BiFiles.marts;
import static fr.zlv.entrepot.publish.BiFiles.plan;
import static fr.zlv.entrepot.publish.BiFiles.reader;
import static fr.zlv.entrepot.publish.BiFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.PublicationReport.TableCount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiFilePublisherTest {

    @TempDir
    Path directory;

    private final BiFilePublisher publisher = new BiFilePublisher();

    @Test
    void publishesTheMartsUnderTheirNamesWithTheHistoryOfVersions() throws Exception {
        Path bi = directory.resolve("bi/entrepot-bi.duckdb");
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("w.duckdb"))) {
            marts(warehouse, 1, 100);
            PublicationReport first = publish(warehouse, bi, "marts_a", "marts_b");
            marts(warehouse, 2, 250);
            PublicationReport second = publish(warehouse, bi, "marts_a", "marts_b");

            assertThat(second.target()).isEqualTo("bi");
            assertThat(second.location()).isEqualTo(bi.toAbsolutePath().toString());
            assertThat(second.version()).matches("\\d{8}T\\d{9}Z-[0-9a-f]{8}").isGreaterThan(first.version());
            assertThat(second.tables()).containsExactly(new TableCount("a", 250), new TableCount("b", 250));
            assertThat(second.bytes()).isEqualTo(Files.size(bi));
            assertThat(second.skipped()).isNull();
            try (Connection connection = reader(bi)) {
                assertThat(strings(connection, "SELECT table_name FROM duckdb_tables() ORDER BY 1"))
                        .containsExactly("a", "b", "published_at");
                assertThat(count(connection, "SELECT count(*) FROM a WHERE generation = 2")).isEqualTo(250);
                assertThat(strings(connection, "SELECT version || ' ' || table_name || ' ' || source || ' ' || row_count"
                        + " FROM published_at ORDER BY published_at, table_name")).containsExactly(
                        first.version() + " a marts.marts_a 100", first.version() + " b marts.marts_b 100",
                        second.version() + " a marts.marts_a 250", second.version() + " b marts.marts_b 250");
            }
        }
        // Nothing else is left beside the live file (its lock file is empty and means nothing unlocked).
        assertThat(fileNames(bi.getParent())).containsExactlyInAnyOrder("entrepot-bi.duckdb", "entrepot-bi.duckdb.lock");
    }

    @Test
    void aReaderThatOpenedTheOldFileKeepsReadingItAndTheNextReaderSeesTheNewOne() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        try (Warehouse warehouse = publishedOnce(bi)) {
            try (Connection old = reader(bi)) {
                assertThat(count(old, "SELECT count(*) FROM a")).isEqualTo(10);
                marts(warehouse, 2, 20);
                publish(warehouse, bi, "marts_a", "marts_b");

                assertThat(count(old, "SELECT count(*) FROM b WHERE generation = 1")).isEqualTo(10);
                assertThat(count(old, "SELECT count(*) FROM published_at")).isEqualTo(2);
            }
            // In one JVM, DuckDB's driver shares one database instance per path while a connection to it is open:
            // a reader sees the new file once the old file's connections are closed (another process at once).
            try (Connection fresh = reader(bi)) {
                assertThat(count(fresh, "SELECT count(*) FROM b WHERE generation = 2")).isEqualTo(20);
                assertThat(count(fresh, "SELECT count(*) FROM published_at")).isEqualTo(4);
            }
        }
    }

    @Test
    void aConcurrentReaderAlwaysSeesOneCompleteVersion() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        List<String> inconsistencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("w.duckdb"))) {
            marts(warehouse, 0, 1000);
            publish(warehouse, bi, "marts_a", "marts_b");
            Thread readerThread = new Thread(() -> {
                while (publishing.get() || reads.get() < 3) {
                    try (Connection connection = reader(bi)) {
                        String problem = inconsistency(connection);
                        if (problem != null) {
                            inconsistencies.add(problem);
                        }
                        reads.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                        inconsistencies.add("reading failed: " + e);
                    }
                }
            });
            readerThread.start();
            try {
                for (int generation = 1; generation <= 12; generation++) {
                    marts(warehouse, generation, 1000 + generation * 37);
                    publish(warehouse, bi, "marts_a", "marts_b");
                }
            } finally {
                publishing.set(false);
                readerThread.join();
            }
        }
        assertThat(inconsistencies).isEmpty();
        assertThat(reads.get()).isGreaterThanOrEqualTo(3);
    }

    /** What a reader would find wrong in the version it opened: null when both tables match its published_at rows. */
    private static String inconsistency(Connection connection) throws SQLException {
        String latest = strings(connection, "SELECT version FROM published_at ORDER BY version DESC LIMIT 1").get(0);
        List<String> found = new ArrayList<>();
        List<Long> generations = new ArrayList<>();
        for (String table : List.of("a", "b")) {
            long rows = count(connection, "SELECT count(*) FROM " + table);
            long published;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT row_count FROM published_at WHERE version = ? AND table_name = ?")) {
                statement.setString(1, latest);
                statement.setString(2, table);
                try (ResultSet result = statement.executeQuery()) {
                    published = result.next() ? result.getLong(1) : -1;
                }
            }
            long distinct = count(connection, "SELECT count(DISTINCT generation) FROM " + table);
            generations.add(count(connection, "SELECT max(generation) FROM " + table));
            if (rows != published || distinct != 1) {
                found.add(table + ": " + rows + " rows, " + published + " published in " + latest + ", " + distinct
                        + " generations");
            }
        }
        if (!generations.get(0).equals(generations.get(1))) {
            found.add("a and b come from generations " + generations);
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }

    @Test
    void theGateRefusesATableWithPersonalDataBeforeWritingAnything() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        try (Warehouse warehouse = publishedOnce(bi)) {
            String before = digest(bi);
            PublicationGate gate = (schema, table) -> table.equals("marts_b")
                    ? List.of("column owner_email is personal data (pii: email)") : List.of();
            marts(warehouse, 2, 20);

            assertThatThrownBy(() -> publisher.publish(warehouse, plan(directory, "marts_a", "marts_b"), gate, bi))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("marts.marts_b (published as b): column owner_email is personal data")
                    .hasMessageNotContaining("marts_a")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("pii"));
            assertThat(digest(bi)).isEqualTo(before);
            assertThat(fileNames(directory)).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void aMissingMartIsNamedAndTheLiveFileIsUntouched() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        try (Warehouse warehouse = publishedOnce(bi)) {
            String before = digest(bi);

            assertThatThrownBy(() -> publisher.publish(warehouse, plan(directory, "marts_a", "marts_missing"),
                    PublicationGate.OPEN, bi))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("marts.marts_missing does not exist in the warehouse")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("publish.yml"));
            assertThat(digest(bi)).isEqualTo(before);
        }
    }

    @Test
    void aPublicationFailingMidCopyLeavesTheLiveFileAndNoTemporaryFile() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        try (Warehouse warehouse = publishedOnce(bi)) {
            String before = digest(bi);
            // A view that breaks only when read: the first table is already copied when it fails.
            warehouse.execute("CREATE VIEW marts.marts_broken AS SELECT error('the source broke') AS x FROM range(3)");

            assertThatThrownBy(() -> publisher.publish(warehouse, plan(directory, "marts_a", "marts_broken"),
                    PublicationGate.OPEN, bi))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("Publishing to the BI file")
                    .hasMessageContaining("the source broke")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("unchanged"));
            assertThat(digest(bi)).isEqualTo(before);
            assertThat(fileNames(directory)).noneMatch(name -> name.contains(".tmp"));
            try (Connection connection = warehouse.connect()) {
                assertThat(strings(connection, "SELECT database_name FROM duckdb_databases() WHERE NOT internal"))
                        .containsExactly("w");
            }
            // And the next one works.
            marts(warehouse, 2, 20);
            assertThat(publish(warehouse, bi, "marts_a", "marts_b")
                    .rows()).isEqualTo(40);
        }
    }

    @Test
    void aTableCannotTakeTheNameOfTheMetadataTable() {
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("w.duckdb"))) {
            marts(warehouse, 1, 10);
            PublishPlan plan = new PublishPlan(directory.resolve("publish.yml"), "marts",
                    List.of(new PublishPlan.PublishedTable("marts_a", "published_at", false)));

            assertThatThrownBy(() -> publisher.publish(warehouse, plan, PublicationGate.OPEN,
                    directory.resolve("bi.duckdb")))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("marts_a is published as 'published_at'");
        }
    }

    private PublicationReport publish(Warehouse warehouse, Path bi, String... marts) {
        return publisher.publish(warehouse, plan(directory, marts), PublicationGate.OPEN, bi);
    }

    /** A warehouse whose marts a and b (10 rows) are published to {@code bi}. */
    private Warehouse publishedOnce(Path bi) {
        Warehouse warehouse = BiFiles.warehouse(directory.resolve("w.duckdb"));
        marts(warehouse, 1, 10);
        publish(warehouse, bi, "marts_a", "marts_b");
        return warehouse;
    }

    static List<String> fileNames(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
