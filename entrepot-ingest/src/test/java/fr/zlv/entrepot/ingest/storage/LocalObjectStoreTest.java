package fr.zlv.entrepot.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files on disk as an object store: writing and deleting. */
class LocalObjectStoreTest {

    @TempDir
    Path root;

    @Test
    void aDeletedFileIsGoneWithTheDirectoriesItLeavesEmpty() throws IOException {
        LocalObjectStore store = new LocalObjectStore();
        Path source = Files.writeString(root.resolve("source.csv"), "a;b\n1;2\n");
        Location nested = Location.parse(root.resolve("published/v1/parquet/x.parquet").toString());
        Location beside = Location.parse(root.resolve("published/latest.json").toString());
        store.upload(source, nested);
        store.upload(source, beside);

        store.delete(nested);
        store.delete(nested);

        assertThat(root.resolve("published/v1")).doesNotExist();
        assertThat(root.resolve("published/latest.json")).exists();
        assertThat(store.list(Location.parse(root.resolve("published").toString())))
                .extracting(object -> object.location().path().getFileName().toString())
                .containsExactly("latest.json");
    }

    @Test
    void aDirectoryIsNotDeletedAsAFile() {
        LocalObjectStore store = new LocalObjectStore();

        assertThatThrownBy(() -> store.delete(Location.parse(root.toString())))
                .isInstanceOf(EntrepotException.class)
                .hasMessage(root.toAbsolutePath() + " is a directory, not a file.");
        assertThat(root).exists();
    }
}
