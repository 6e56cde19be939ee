package fr.zlv.entrepot.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run store in a SQLite file, the default. */
class SqliteRunStoreTest extends RunStoreContract {

    @TempDir
    Path directory;

    private int stores;

    @Override
    String newLocation() {
        stores++;
        return directory.resolve("store-" + stores).resolve("runs.sqlite").toString();
    }

    @Override
    void removeLocation(String location) {
        // The temporary folder goes with the test.
    }

    @Override
    StoreDialect dialect() {
        return StoreDialect.SQLITE;
    }

    @Test
    void theFileAndItsFoldersAreCreatedAndTheLocationIsItsPath() {
        Path file = Path.of(location);

        assertThat(file).isRegularFile();
        assertThat(store.location()).isEqualTo(file.toAbsolutePath().toString());
    }

    @Test
    void theFileIsInWalModeSoReadersNeverWaitForTheWriter() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + location);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aJdbcUrlOpensTheSameFile() {
        store.createRun(queued("r1", "daily", T0));

        try (RunStore byUrl = RunStores.open("jdbc:sqlite:" + location)) {
            assertThat(byUrl.run("r1")).isPresent();
        }
    }

    @Test
    void aDaemonAndTheCommandLineShareTheFile() {
        // Two stores on one file stand for two processes: the daemon writing, the CLI reading and writing too.
        try (RunStore cli = RunStores.open(location)) {
            store.createRun(queued("r1", "daily", T0));
            store.appendEvents(List.of(event("r1", null, "from the daemon", at(1))));
            cli.appendEvents(List.of(event("r1", null, "from the CLI", at(2))));
            store.appendEvents(List.of(event("r1", null, "from the daemon again", at(3))));

            assertThat(cli.run("r1")).isPresent();
            assertThat(cli.events("r1", 0)).extracting(RunEvent::message)
                    .containsExactly("from the daemon", "from the CLI", "from the daemon again");
            assertThat(cli.events("r1", 0)).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void anInMemoryStoreWorksUntilClosed() {
        try (RunStore memory = RunStores.open("jdbc:sqlite::memory:")) {
            memory.createRun(queued("r1", "daily", T0));
            memory.appendEvents(List.of(event("r1", null, "kept", at(1))));

            assertThat(memory.run("r1")).isPresent();
            assertThat(memory.events("r1", 0)).hasSize(1);
            assertThat(memory.location()).startsWith("memory");
        }
    }

    @Test
    void theEnvironmentVariableWinsOverTheDefaultFile() {
        Path defaultFile = directory.resolve("default").resolve("runs.sqlite");
        try (RunStore fallback = RunStores.open(Map.of(), defaultFile)) {
            assertThat(fallback.location()).isEqualTo(defaultFile.toString());
        }
        try (RunStore named = RunStores.open(Map.of(RunStores.URL_VARIABLE, "jdbc:sqlite:" + location), defaultFile)) {
            assertThat(named.location()).isEqualTo(Path.of(location).toAbsolutePath().toString());
        }
    }

    @Test
    void aFolderIsRefusedAsTheStore() {
        assertThatThrownBy(() -> RunStores.open(directory.toString()))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("The run store " + directory + " is a folder, not a SQLite file.")
                .satisfies(e -> assertThat(((EntrepotException) e).exitCode()).isEqualTo(EntrepotException.BAD_INPUT));
    }

    @Test
    void aFileThatIsNotSqliteIsNamedWithAHint() throws Exception {
        Path notSqlite = directory.resolve("notes.txt");
        Files.writeString(notSqlite, "These are my notes, not a database. ".repeat(200));

        assertThatThrownBy(() -> RunStores.open(notSqlite.toString()))
                .isInstanceOf(EntrepotException.class)
                .hasMessageStartingWith("Cannot open the run store at " + notSqlite + ": ")
                .hasMessageContaining("not a database")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains(RunStores.URL_VARIABLE));
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws Exception {
        Path file = directory.resolve("a-file");
        Files.writeString(file, "x");
        Path under = file.resolve("runs.sqlite");

        assertThatThrownBy(() -> RunStores.open(under.toString()))
                .isInstanceOf(EntrepotException.class)
                .hasMessageStartingWith("Cannot create the folder " + file + " of the run store " + under);
    }
}
