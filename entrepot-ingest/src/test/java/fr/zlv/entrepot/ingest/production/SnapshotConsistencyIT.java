package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the sync reads, the application goes on: owners are created with their housing links, and
 * removed with them. Read in one snapshot, the warehouse never holds a link to an owner it does not have.
 */
class SnapshotConsistencyIT {

    private static final String DATABASE = "entrepot_it_snapshot";

    @BeforeAll
    static void createProduction() {
        TestPostgres.demo(DATABASE, 20_000);
    }

    @AfterAll
    static void dropProduction() {
        TestPostgres.drop(DATABASE);
    }

    /** Writes like the application: each transaction adds an owner with a link, or removes one with its links. */
    private static final class ConcurrentWriter implements AutoCloseable {
        final AtomicLong commits = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile SQLException failure;

        ConcurrentWriter() {
            thread = new Thread(this::loop, "application-writer");
            thread.start();
        }

        private void loop() {
            Deque<UUID> created = new ArrayDeque<>();
            try (Connection connection = TestPostgres.server().connect(DATABASE);
                 PreparedStatement owner = connection.prepareStatement(
                         "INSERT INTO owners (id, full_name) VALUES (?, 'NOUVEAU Proprietaire')");
                 PreparedStatement link = connection.prepareStatement(
                         "INSERT INTO owners_housing (owner_id, housing_id, housing_geo_code, rank)"
                                 + " SELECT ?, id, geo_code, 9 FROM fast_housing TABLESAMPLE SYSTEM (1) LIMIT 1");
                 PreparedStatement unlink = connection.prepareStatement("DELETE FROM owners_housing WHERE owner_id = ?");
                 PreparedStatement remove = connection.prepareStatement("DELETE FROM owners WHERE id = ?")) {
                connection.setAutoCommit(false);
                while (running.get()) {
                    UUID id = UUID.randomUUID();
                    owner.setObject(1, id);
                    owner.executeUpdate();
                    link.setObject(1, id);
                    link.executeUpdate();
                    connection.commit();
                    created.add(id);
                    commits.incrementAndGet();
                    if (created.size() > 5) {
                        UUID old = created.poll();
                        unlink.setObject(1, old);
                        unlink.executeUpdate();
                        remove.setObject(1, old);
                        remove.executeUpdate();
                        connection.commit();
                        commits.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                failure = e;
            }
        }

        void awaitCommits(long more) throws InterruptedException {
            long target = commits.get() + more;
            while (commits.get() < target && failure == null) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close() throws SQLException {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static long orphanLinks(Warehouse warehouse) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM production.owners_housing l"
                     + " LEFT JOIN production.owners o ON o.id = l.owner_id WHERE o.id IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void tablesReadInOneSnapshotHaveNoOrphanLinks() throws Exception {
        // Small slices and one connection at a time: the sync lasts long enough for many commits.
        ProductionSettings settings = TestPostgres.settings(DATABASE).withParallelism(2, 4);
        try (Warehouse warehouse = Warehouse.inMemory(); ConcurrentWriter writer = new ConcurrentWriter()) {
            writer.awaitCommits(20);
            long before = writer.commits.get();
            new ProductionSync(settings, warehouse).run(List.of("owners_housing", "owners", "housing"),
                    ProductionSync.Listener.NONE);
            long during = writer.commits.get() - before;

            assertThat(during).as("commits while the sync read").isGreaterThan(10);
            assertThat(orphanLinks(warehouse)).isZero();
        }
    }

    @Test
    void tablesReadAtDifferentMomentsDoHaveOrphansWhichIsWhatTheSnapshotPrevents() throws Exception {
        ProductionSettings settings = TestPostgres.settings(DATABASE);
        try (Warehouse warehouse = Warehouse.inMemory(); ConcurrentWriter writer = new ConcurrentWriter()) {
            writer.awaitCommits(20);
            new ProductionSync(settings, warehouse).run(List.of("owners"), ProductionSync.Listener.NONE);
            writer.awaitCommits(40);
            new ProductionSync(settings, warehouse).run(List.of("owners_housing"), ProductionSync.Listener.NONE);

            assertThat(orphanLinks(warehouse)).isPositive();
        }
    }
}
