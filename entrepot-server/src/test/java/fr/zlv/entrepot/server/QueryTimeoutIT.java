package fr.zlv.entrepot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query that runs past {@code query_timeout_seconds} is stopped: the caller gets 503 with code TIMEOUT, the
 * thread running it is interrupted (the semantic layer's signal to cancel its statement), and the audit log says
 * {@code timeout}. The slow query is scaffolding here (a layer that waits until interrupted): no query over a test
 * file is slow enough to be sure to run past one second.
 */
class QueryTimeoutIT {

    @TempDir
    Path directory;

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private RunStore store;
    private EntrepotServer server;

    /** A semantic layer whose every query takes until it is interrupted. */
    private final class EndlessQuery implements SemanticApi {
        @Override
        public GraphQlResponse execute(GraphQlRequest request, Principal principal) {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cancelled");
        }

        @Override
        public String dataVersion() {
            return "endless";
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void start() {
        store = RunStores.open(directory.resolve("runs.sqlite").toString());
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(Tokens.SECRET)).withLimits(600, 65_536, 1);
        server = EntrepotServer.start(settings, new EndlessQuery(), store);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void aQueryRunningTooLongIsStoppedAndAnswered503() throws Exception {
        Http.Answer answer = Http.postGraphql(server.url(), Tokens.hs256(Tokens.claims("slow", "analyst")),
                "{ housing(measures: [count]) { count } }", null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.code()).isEqualTo("TIMEOUT");
        assertThat(answer.message()).contains("longer than 1 s");
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the query's thread was interrupted").isTrue();
        JsonNode records = Http.get(server.url().resolve("/api/audit?subject=slow"),
                Tokens.hs256(Tokens.claims("ops", "admin"))).json().path("records");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("timeout");
        assertThat(records.get(0).path("status").asInt()).isEqualTo(503);
        assertThat(records.get(0).path("query").asText()).contains("housing");
    }
}
