package fr.zlv.entrepot.dbt.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.TestPostgres;
import fr.zlv.entrepot.demo.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL adapter against a real server: the profile's session keys, threads, MERGE's stand-in, debug. */
class PostgresAdapterIT {

    @TempDir
    Path directory;
    private TestPostgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("adapter_it");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Map<String, Object> target() {
        PostgresServer server = TestPostgres.server();
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", "postgres");
        target.put("host", server.host());
        target.put("port", server.port());
        target.put("user", server.adminUser());
        target.put("password", database.environment().get("ENTREPOT_TEST_PG_PASSWORD"));
        target.put("dbname", database.name());
        target.put("schema", "analytics");
        return target;
    }

    @Test
    void everySessionTakesTheProfilesRoleAndSearchPath() throws Exception {
        String role = "adapter_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        database.execute("create role " + role + " nologin");
        database.execute("create schema lookup");
        database.execute("create table lookup.codes as select 'a' as code");
        database.execute("grant usage on schema lookup to " + role);
        database.execute("grant select on lookup.codes to " + role);
        Map<String, Object> target = target();
        target.put("role", role);
        target.put("search_path", "lookup, public");
        target.put("sslmode", "disable");
        target.put("keepalives_idle", 30);
        target.put("connect_timeout", 5);
        try (PostgresAdapter adapter = PostgresAdapter.open(target)) {
            // Each of the threads' own connections, not only the first one.
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Object>>> answers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    answers.add(pool.submit(() -> adapter.query("select current_user, current_setting('search_path'),"
                            + " (select count(*) from codes), pg_backend_pid()").getRows().get(0)));
                }
                List<Object> pids = new ArrayList<>();
                for (Future<List<Object>> answer : answers) {
                    List<Object> row = answer.get();
                    assertThat(row.subList(0, 3)).containsExactly(role, "lookup, public", 1L);
                    pids.add(row.get(3));
                }
                assertThat(pids).doesNotHaveDuplicates();
            } finally {
                pool.shutdownNow();
            }
        } finally {
            new TestPostgres.Database("postgres").execute("drop owned by " + role + " cascade");
            database.execute("drop owned by " + role + " cascade");
            new TestPostgres.Database("postgres").execute("drop role " + role);
        }
    }

    /** Each command runs on new threads: the sessions of ended threads are taken again, cleaned, not opened anew. */
    @Test
    void sessionsOfEndedThreadsAreReusedCleanNotLeaked() throws Exception {
        try (PostgresAdapter adapter = PostgresAdapter.open(target())) {
            List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int round = 0; round < 5; round++) {
                List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(3, task -> {
                    Thread thread = new Thread(task);
                    threads.add(thread);
                    return thread;
                });
                try {
                    List<Future<?>> runs = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        runs.add(pool.submit(() -> {
                            // What a hook left in the session must not reach the next thread that takes it.
                            seen.add(adapter.query("select coalesce(current_setting('entrepot.left_behind', true), '')")
                                    .first());
                            adapter.execute("set entrepot.left_behind = 'previous thread'");
                        }));
                    }
                    for (Future<?> run : runs) {
                        run.get();
                    }
                } finally {
                    pool.shutdown();
                    for (Thread thread : threads) {
                        thread.join(10_000);
                    }
                }
            }
            assertThat(seen).hasSize(15).containsOnly("");
            // The first (this thread's) and three of the pool's, not sixteen.
            assertThat(adapter.openSessions()).isLessThanOrEqualTo(4);
            // The test's own database: only the adapter's sessions are there, each named after it.
            assertThat(adapter.query("select count(*), count(*) filter (where application_name = 'entrepot-dbt')"
                    + " from pg_stat_activity where datname = current_database() and backend_type = 'client backend'")
                    .getRows().get(0)).containsExactly((long) adapter.openSessions(), (long) adapter.openSessions());
        }
    }

    @Test
    void schemasCreatedByManyThreadsAtOnceAreCreatedOnce() throws Exception {
        try (PostgresAdapter adapter = PostgresAdapter.open(target())) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(pool.submit(() -> adapter.createSchema(null, "shared_schema")));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(adapter.query("select count(*) from pg_namespace where nspname = 'shared_schema'").first())
                    .isEqualTo(1L);
        }
    }

    @Test
    void withoutMergeRowsAreUpdatedThenInsertedAsMergeWould() {
        try (PostgresAdapter adapter = PostgresAdapter.open(target())) {
            adapter.execute("create table public.events (id integer, kind text, seen integer)");
            adapter.execute("insert into public.events values (1, 'created', 1), (2, 'created', 1)");
            adapter.execute("create table public.events__dbt_tmp as select * from (values (2, 'shipped', 2),"
                    + " (3, 'created', 2)) as t(id, kind, seen)");
            Relation target = new Relation(database.name(), "public", "events", "table");
            Relation staging = target.withIdentifier("events__dbt_tmp");

            List<String> statements = PostgresAdapter.updateThenInsert(target, staging, List.of("id"),
                    List.of("id", "kind", "seen"));
            adapter.executeInTransaction(statements);

            assertThat(statements).hasSize(2);
            assertThat(adapter.query("select id, kind, seen from public.events order by id").getRows()).containsExactly(
                    List.of(1, "created", 1), List.of(2, "shipped", 2), List.of(3, "created", 2));
            // Only keys: nothing to update, the new keys inserted.
            assertThat(PostgresAdapter.updateThenInsert(target, staging, List.of("id"), List.of("id")))
                    .singleElement().asString().startsWith("insert into");
        }
    }

    @Test
    void describeGivesAQuerysColumnsWithoutRunningIt() {
        try (PostgresAdapter adapter = PostgresAdapter.open(target())) {
            List<Column> columns = adapter.describe("select 1 as n, 'a'::text as s, now() as at, 1.5::numeric(4,1) as d"
                    + " from generate_series(1, 100000000)");
            assertThat(columns).extracting(Column::getName, Column::getData_type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("n", "int4"), org.assertj.core.groups.Tuple.tuple("s", "text"),
                    org.assertj.core.groups.Tuple.tuple("at", "timestamptz"),
                    org.assertj.core.groups.Tuple.tuple("d", "numeric"));
        }
    }

    @Test
    void anErrorSaysPostgresqlsMessageWithTheLineAndTheHint() {
        try (PostgresAdapter adapter = PostgresAdapter.open(target())) {
            assertThatThrownBy(() -> adapter.query("select 1\nfrom no_such_table"))
                    .hasMessage("relation \"no_such_table\" does not exist (line 2 of the statement)");
            assertThatThrownBy(() -> adapter.execute("select lenght('x')"))
                    .hasMessageStartingWith("function lenght(unknown) does not exist (line 1 of the statement) Hint: ");
        }
    }

    @Test
    void debugConnectsToThePostgresTarget() throws IOException {
        Files.writeString(directory.resolve("dbt_project.yml"), "name: dbg\nprofile: dbg\n");
        Files.writeString(directory.resolve("profiles.yml"), "dbg:\n  target: pg\n  outputs:\n"
                + database.target("pg", "analytics", 2));
        List<String> lines = DbtEngine.debug(DbtEngine.Options.of(directory).withEnvironment(database.environment())
                .withConsole(line -> { }));
        assertThat(lines).contains("  type: postgres", "  dbname: " + database.name(), "  Connection test: [OK connection ok]",
                "All checks passed!");
    }
}
