package fr.zlv.entrepot.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scratch databases of a killed load into PostgreSQL are deleted by the next load on the same machine. */
class ScratchCleanupTest {

    @TempDir
    Path directory;

    @Test
    void deletesOnlyTheScratchOfProcessesThatNoLongerRunHere() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String host = FileLoader.hostName();
        Path abandoned = scratch("scratch-" + finished.pid() + "@" + host + "--lovac_2024-1b2c.duckdb");
        Path abandonedWal = scratch("scratch-" + finished.pid() + "@" + host + "--lovac_2024-1b2c.duckdb.wal");
        Path abandonedSpill = Files.createDirectories(
                directory.resolve("scratch-" + finished.pid() + "@" + host + "--lovac_2024-1b2c.duckdb.tmp"));
        Files.writeString(abandonedSpill.resolve("duckdb_temp_storage-0.tmp"), "spilled");
        Path running = scratch("scratch-" + ProcessHandle.current().pid() + "@" + host + "--ff_housings-9f.duckdb");
        Path otherHost = scratch("scratch-" + finished.pid() + "@another-host.example--ff_owners-77.duckdb");
        Path notOurs = scratch("notes.duckdb");

        FileLoader.removeAbandonedScratch(directory);

        assertThat(abandoned).doesNotExist();
        assertThat(abandonedWal).doesNotExist();
        assertThat(abandonedSpill).doesNotExist();
        assertThat(running).exists();
        assertThat(otherHost).exists();
        assertThat(notOurs).exists();
    }

    private Path scratch(String name) throws IOException {
        return Files.writeString(directory.resolve(name), "duckdb");
    }
}
