package fr.zlv.entrepot.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Naming a run store: which URLs open what, and what a user reads when one cannot be opened. */
class RunStoresTest {

    private static EntrepotException openFailure(String url) {
        return catchThrowableOfType(() -> RunStores.open(url), EntrepotException.class);
    }

    @Test
    void passwordsAreHiddenInUrlsShownToUsers() {
        assertThat(RunStores.redact("jdbc:postgresql://db:5432/warehouse?user=zlv&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/warehouse?user=zlv&password=***&ssl=true");
        assertThat(RunStores.redact("postgresql://zlv:s3cret@db:5432/warehouse"))
                .isEqualTo("postgresql://zlv:***@db:5432/warehouse");
        assertThat(RunStores.redact("jdbc:postgresql://db/warehouse?user=zlv")).isEqualTo(
                "jdbc:postgresql://db/warehouse?user=zlv");
    }

    @Test
    void aStoreUrlOfAnotherDatabaseIsRefusedWithTheFormsAccepted() {
        EntrepotException error = openFailure("mysql://root:s3cret@db:3306/runs");

        assertThat(error).hasMessage("The run store URL mysql://root:***@db:3306/runs is neither SQLite nor PostgreSQL.");
        assertThat(error.hint()).contains("jdbc:sqlite:").contains("jdbc:postgresql://host:5432/database");
        assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
    }

    @Test
    void noStoreAtAllIsRefused() {
        assertThat(openFailure(" ")).hasMessage("No run store given.");
    }

    @Test
    void aPostgresUrlThatCannotBeParsedIsNamedWithoutItsPassword() {
        EntrepotException error = openFailure("jdbc:postgresql://db:port/warehouse?password=s3cret");

        assertThat(error).hasMessage("The run store URL jdbc:postgresql://db:port/warehouse?password=*** is not a"
                + " PostgreSQL JDBC URL.");
        assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
    }

    @Test
    void aSchemaThatIsNotAPlainNameIsRefused() {
        assertThatThrownBy(() -> RunStores.open("jdbc:postgresql://127.0.0.1:5432/x?currentSchema=Runs;drop"))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("names the schema 'Runs;drop' (currentSchema), not a plain lower-case name");
    }

    @Test
    void anUnreachablePostgresServerIsNamedWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/test?user=postgres&password=s3cret";

        EntrepotException error = openFailure(url);

        assertThat(error).hasMessageStartingWith("Cannot reach the PostgreSQL server of the run store at"
                + " jdbc:postgresql://127.0.0.1:" + closedPort + "/test?user=postgres&password=***: ");
        assertThat(error.getMessage() + error.hint()).doesNotContain("s3cret");
        assertThat(error.hint()).contains(RunStores.URL_VARIABLE);
        assertThat(error.exitCode()).isEqualTo(EntrepotException.FAILED);
    }

    @Test
    void anUnknownHostIsNamed() {
        EntrepotException error = openFailure("jdbc:postgresql://no-such-host.invalid/test?user=postgres");

        assertThat(error).hasMessage("Cannot reach the PostgreSQL server of the run store at"
                + " jdbc:postgresql://no-such-host.invalid/test?user=postgres: unknown host no-such-host.invalid");
    }
}
