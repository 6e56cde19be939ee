package fr.zlv.entrepot.semantic;

import static fr.zlv.entrepot.semantic.BiFixture.analyst;
import static fr.zlv.entrepot.semantic.BiFixture.rows;
import static fr.zlv.entrepot.semantic.BiFixture.run;
import static fr.zlv.entrepot.semantic.BiFixture.territory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.semantic.engine.BiDatabase;
import fr.zlv.entrepot.semantic.engine.QueryEngine;
import fr.zlv.entrepot.semantic.query.CompiledQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caching per data version, and a BI file republished (renamed over) while it is served. */
class RepublishAndCacheTest {

    private static final String COUNT = "{ housing(measures: [count]) { rows { count } } }";
    private static final String H9 = ", ('h9', '75101', 'Paris 1er', 'E75', '75', 'Paris', '11', 0, 'Non suivi', 'V',"
            + " true, 4, 100, 30.0, 'o7', NULL, NULL)";

    @TempDir
    Path dir;

    private static Object count(GraphQlResponse response) {
        return rows(response, "housing").get(0).get("count");
    }

    @Test
    void theSecondIdenticalQueryIsACacheHit() throws Exception {
        try (SemanticApi api = BiFixture.create(dir).open()) {
            GraphQlResponse first = run(api, analyst(), COUNT);
            GraphQlResponse second = run(api, analyst(), COUNT);
            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(second.rows()).isEqualTo(1);
            assertThat(second.queried()).containsExactly("housing");

            // The same question written differently: a new document, but the rows come from the result cache.
            GraphQlResponse rewritten = run(api, analyst(), "query { housing( measures : [ count ] ) { rows { count } } }");
            assertThat(rewritten.cacheHit()).isTrue();
            assertThat(count(rewritten)).isEqualTo(8L);
        }
    }

    @Test
    void principalsOfOtherScopesDoNotShareAnswers() throws Exception {
        try (SemanticApi api = BiFixture.create(dir).open()) {
            assertThat(count(run(api, territory("departement", "75"), COUNT))).isEqualTo(3L);
            GraphQlResponse other = run(api, territory("departement", "92"), COUNT);
            assertThat(other.cacheHit()).isFalse();
            assertThat(count(other)).isEqualTo(2L);
            assertThat(count(run(api, analyst(), COUNT))).isEqualTo(8L);
        }
    }

    @Test
    void aRepublishedFileIsServedAtTheNextQueryAndOldResultsNever() throws Exception {
        BiFixture fixture = BiFixture.create(dir);
        try (SemanticApi api = fixture.open()) {
            assertThat(count(run(api, analyst(), COUNT))).isEqualTo(8L);
            assertThat(run(api, analyst(), COUNT).cacheHit()).isTrue();
            assertThat(api.dataVersion()).isEqualTo("20260101T000000000Z-00000001");

            fixture.republish("20260102T000000000Z-00000002", H9);

            GraphQlResponse after = run(api, analyst(), COUNT);
            assertThat(after.cacheHit()).isFalse();
            assertThat(count(after)).isEqualTo(9L);
            assertThat(api.dataVersion()).isEqualTo("20260102T000000000Z-00000002");
            assertThat(after.body().get("extensions").toString()).contains("20260102T000000000Z-00000002");
            assertThat(run(api, analyst(), COUNT).cacheHit()).isTrue();
        }
    }

    @Test
    void aRepublishedFileThatNoLongerFitsTheModelIsNotServed() throws Exception {
        BiFixture fixture = BiFixture.create(dir);
        try (SemanticApi api = fixture.open()) {
            assertThat(count(run(api, analyst(), COUNT))).isEqualTo(8L);
            // A publication that lost the status_label column the model groups on.
            Path broken = dir.resolve("broken.duckdb");
            BiFixture.writeBiFile(broken, "20260102T000000000Z-00000002", "");
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + broken);
                 Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE housing DROP COLUMN status_label");
            }
            Files.move(broken, fixture.bi, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            GraphQlResponse during = run(api, analyst(), "{ housing(measures: [count], dimensions: [{dimension: status}])"
                    + " { rows { status count } } }");
            assertThat(rows(during, "housing")).hasSize(5);
            assertThat(api.dataVersion()).as("the previous version stays").isEqualTo("20260101T000000000Z-00000001");

            fixture.republish("20260103T000000000Z-00000003", H9);
            assertThat(count(run(api, analyst(), COUNT))).isEqualTo(9L);
            assertThat(api.dataVersion()).isEqualTo("20260103T000000000Z-00000003");
        }
    }

    @Test
    void queriesOnTheOldVersionFinishAndItIsDetachedAfterwards() throws Exception {
        BiFixture fixture = BiFixture.create(dir);
        try (BiDatabase<String> database = new BiDatabase<>(fixture.bi, 2, Duration.ZERO, "Europe/Paris",
                generation -> generation.version())) {
            BiDatabase.Generation<String> old = database.acquire();
            fixture.republish("20260102T000000000Z-00000002", H9);
            try (BiDatabase.Generation<String> current = database.acquire()) {
                assertThat(current.served()).isEqualTo("20260102T000000000Z-00000002");
                assertThat(count(database, current.alias())).isEqualTo(9);
                assertThat(count(database, old.alias())).as("the old file is still readable").isEqualTo(8);
            }
            String oldAlias = old.alias();
            old.close();
            assertThatThrownBy(() -> count(database, oldAlias)).isInstanceOf(SQLException.class);
        }
    }

    private static long count(BiDatabase<?> database, String alias) throws SQLException {
        return database.withConnection(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + alias + ".main.housing")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Test
    void anInterruptedQueryIsCancelledAndFreesItsConnection() throws Exception {
        BiFixture fixture = BiFixture.create(dir);
        try (BiDatabase<String> database = new BiDatabase<>(fixture.bi, 1, Duration.ZERO, "Europe/Paris",
                generation -> generation.version());
             QueryEngine engine = new QueryEngine(database, 1000);
             BiDatabase.Generation<String> generation = database.acquire()) {
            // A statement that would run for hours: a hash of every row of a trillion-row range.
            CompiledQuery endless = new CompiledQuery("SELECT sum(hash(range)) FROM range(1000000000000)", List.of(),
                    List.of(new CompiledQuery.Field("total", CompiledQuery.FieldKind.MEASURE,
                            fr.zlv.entrepot.semantic.model.DataType.INTEGER, 1, 0, null)), 1, List.of());
            ExecutorService caller = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            Future<Object> running = caller.submit(() -> {
                started.countDown();
                return engine.execute(generation, endless);
            });
            started.await();
            Thread.sleep(300);
            running.cancel(true);
            caller.shutdown();
            // The caller's thread ends (cancelled); the single connection serves the next query.
            assertThat(caller.awaitTermination(2, TimeUnit.MINUTES)).as("the interrupted query ended").isTrue();
            CompiledQuery quick = new CompiledQuery("SELECT count(*) FROM " + generation.alias() + ".main.housing",
                    List.of(), endless.fields(), 1, List.of());
            assertThat(engine.execute(generation, quick).rows().get(0).get("total")).isEqualTo(8L);
        }
    }

    @Test
    void concurrentReadersSeeTheOldOrTheNewVersionNeverAnError() throws Exception {
        BiFixture fixture = BiFixture.create(dir);
        try (SemanticApi api = fixture.open()) {
            AtomicBoolean stop = new AtomicBoolean();
            Set<Object> counts = ConcurrentHashMap.newKeySet();
            ExecutorService readers = Executors.newFixedThreadPool(4);
            List<Future<Integer>> results = new ArrayList<>();
            for (int reader = 0; reader < 4; reader++) {
                int id = reader;
                results.add(readers.submit(() -> {
                    int done = 0;
                    while (!stop.get() || done < 20) {
                        // Different limits: not every answer comes from the response cache.
                        GraphQlResponse response = run(api, analyst(), "{ housing(measures: [count], limit: "
                                + (1 + (done + id) % 50) + ") { rows { count } } }");
                        assertThat(response.httpStatus()).as("%s", response.body()).isEqualTo(200);
                        counts.add(count(response));
                        done++;
                    }
                    return done;
                }));
            }
            for (int version = 2; version <= 6; version++) {
                fixture.republish("2026010" + version + "T000000000Z-0000000" + version, version % 2 == 0 ? H9 : "");
            }
            stop.set(true);
            for (Future<Integer> result : results) {
                assertThat(result.get()).isGreaterThanOrEqualTo(20);
            }
            readers.shutdown();
            assertThat(counts).isSubsetOf(8L, 9L);
            assertThat(api.dataVersion()).isEqualTo("20260106T000000000Z-00000006");
            assertThat(count(run(api, analyst(), COUNT))).isEqualTo(9L);
        }
    }
}
