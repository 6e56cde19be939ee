package fr.zlv.entrepot.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two daemons' schedulers, each with its own connections, tick the same schedule in one PostgreSQL run store. */
class SharedScheduleIT {

    private static PostgresServer server;

    @BeforeAll
    static void findServer() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void twoDaemonsTickingTheSameScheduleLaunchOneRunPerTick() throws Exception {
        String schema = "entrepot_ticks_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = server.jdbcUrl("postgres") + "?user=" + server.adminUser() + "&currentSchema=" + schema;
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:30Z"));
        // QUEUE: neither launcher knows of the other's runs, so only the tick record can keep them from both firing.
        List<ScheduleSpec> specs = List.of(new ScheduleSpec("every_minute", "build", "* * * * *", ZoneId.of("UTC"),
                true, OverlapPolicy.QUEUE));
        RecordingLauncher first = new RecordingLauncher();
        RecordingLauncher second = new RecordingLauncher();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (RunStore storeA = RunStores.open(url); RunStore storeB = RunStores.open(url)) {
            Scheduler a = new Scheduler(specs, storeA, first, clock);
            Scheduler b = new Scheduler(specs, storeB, second, clock);
            a.tick();
            b.tick();
            List<TickDecision> decisions = new ArrayList<>();
            for (int minute = 1; minute <= 5; minute++) {
                clock.advance(Duration.ofMinutes(1));
                CyclicBarrier together = new CyclicBarrier(2);
                Future<List<TickDecision>> fromA = threads.submit(() -> {
                    together.await();
                    return a.tick();
                });
                Future<List<TickDecision>> fromB = threads.submit(() -> {
                    together.await();
                    return b.tick();
                });
                decisions.addAll(fromA.get());
                decisions.addAll(fromB.get());
            }

            assertThat(first.launches().size() + second.launches().size()).isEqualTo(5);
            assertThat(decisions).extracting(TickDecision::tick).map(ZonedDateTime::toInstant).containsExactly(
                    Instant.parse("2026-03-02T08:01:00Z"), Instant.parse("2026-03-02T08:02:00Z"),
                    Instant.parse("2026-03-02T08:03:00Z"), Instant.parse("2026-03-02T08:04:00Z"),
                    Instant.parse("2026-03-02T08:05:00Z"));
            assertThat(decisions).allMatch(decision -> decision.action() == TickDecision.Action.LAUNCHED);
            // Neither daemon fires a tick again afterwards.
            assertThat(a.tick()).isEmpty();
            assertThat(b.tick()).isEmpty();
            assertThat(storeA.scheduleState("every_minute").orElseThrow().lastTick())
                    .isEqualTo(Instant.parse("2026-03-02T08:05:00Z"));
        } finally {
            threads.shutdownNow();
            try (Connection connection = server.connect("postgres");
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
