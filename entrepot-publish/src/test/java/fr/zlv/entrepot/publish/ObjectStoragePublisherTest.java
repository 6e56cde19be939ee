package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publication to a directory (publish.object_storage set to a path), through ingest's disk store. */
class ObjectStoragePublisherTest {

    @TempDir
    Path work;

    @Test
    void aDirectoryHoldsTheVersionsKeptAndLatestJson() throws Exception {
        Path published = work.resolve("published");
        try (ObjectStores store = new ObjectStores(StorageSettings.defaults())) {
            ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, Location.parse(published.toString()), 2);
            for (String version : List.of("v1", "v2", "v3")) {
                publisher.upload(PublishedFiles.biFile(work.resolve(version + ".duckdb"), version, 10), List.of(),
                        version);
            }

            ObjectStoragePublisher.Manifest latest = publisher.download("latest", work.resolve("read"));

            assertThat(latest.version()).isEqualTo("v3");
            assertThat(PublishedFiles.markerOf(work.resolve("read/entrepot-bi.duckdb"))).isEqualTo("v3");
            try (Stream<Path> entries = Files.list(published)) {
                assertThat(entries.map(path -> path.getFileName().toString()))
                        .containsExactlyInAnyOrder("latest.json", "v2", "v3");
            }
            assertThat(Files.readString(published.resolve("latest.json")))
                    .contains("\"version\" : \"v3\"", "\"published_at\"", "\"sha256\"", "\"entrepot-bi.duckdb\"");
        }
    }

    @Test
    void versionNamesAreCheckedAndSortByTime() {
        try (ObjectStores store = new ObjectStores(StorageSettings.defaults())) {
            ObjectStoragePublisher publisher = new ObjectStoragePublisher(store, Location.parse(work.toString()), 2);

            assertThatThrownBy(() -> publisher.upload(null, List.of(), "../up"))
                    .isInstanceOf(EntrepotException.class).hasMessage("'../up' cannot name a version.");
            assertThatThrownBy(() -> publisher.upload(null, List.of(), "latest"))
                    .isInstanceOf(EntrepotException.class).hasMessage("'latest' cannot name a version.");
            assertThatThrownBy(() -> new ObjectStoragePublisher(store, Location.parse(work.toString()), 0))
                    .isInstanceOf(EntrepotException.class).hasMessageContaining("would delete the one just published");
        }
        assertThat(ObjectStoragePublisher.newVersion(Instant.parse("2026-11-30T08:15:00.123Z")))
                .isEqualTo("20261130T081500123Z")
                .isLessThan(ObjectStoragePublisher.newVersion(Instant.parse("2026-12-01T00:00:00Z")));
    }
}
