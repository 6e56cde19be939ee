package fr.zlv.entrepot.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.demo.LocalS3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 path of ingestion, against a real S3-protocol server on 127.0.0.1 (S3Proxy). */
class ObjectStorageIT {

    private static final Secret SECRET = Secret.of("test-secret-key");
    private static LocalS3Server s3;
    private static Path large;
    private static Path small;

    @TempDir
    static Path files;

    @TempDir
    Path cacheDirectory;

    @BeforeAll
    static void startServer() throws IOException {
        s3 = LocalS3Server.start(null, "test-access-key", SECRET);
        large = files.resolve("raw.csv");
        byte[] content = new byte[12 * 1024 * 1024 + 123];
        new Random(3).nextBytes(content);
        Files.write(large, content);
        small = files.resolve("small.csv");
        Files.writeString(small, "a;b\n1;2\n");
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            store.ensureBucket("lake");
            store.upload(large, Location.parse("s3://lake/lake/cerema/lovac/2024/raw.csv"));
            store.upload(small, Location.parse("s3://lake/lake/lovac/2026/raw.csv"));
        }
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    private static StorageSettings settings(String endpoint, Secret secret) {
        return StorageSettings.defaults().withEndpoint(endpoint, "test-access-key", secret).withParts(5, 3, 4);
    }

    @Test
    void objectsAreListedAndDescribed() {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            List<ObjectInfo> objects = store.list(Location.parse("s3://lake/lake/"));

            assertThat(objects).extracting(object -> object.location().toString())
                    .contains("s3://lake/lake/cerema/lovac/2024/raw.csv", "s3://lake/lake/lovac/2026/raw.csv")
                    .allMatch(key -> key.startsWith("s3://lake/lake/"));
            ObjectInfo info = store.stat(Location.parse("s3://lake/lake/cerema/lovac/2024/raw.csv"));
            assertThat(info.size()).isEqualTo(12 * 1024 * 1024 + 123);
            assertThat(info.etag()).isNotBlank();
        }
    }

    @Test
    void aDownloadIsCachedUntilTheObjectChanges() throws IOException {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            FileCache cache = new FileCache(cacheDirectory, store);
            Location location = Location.parse("s3://lake/lake/cerema/lovac/2024/raw.csv");
            AtomicLong progress = new AtomicLong();

            FileCache.Fetched first = cache.fetch(location, progress::addAndGet);
            FileCache.Fetched second = cache.fetch(location, progress::addAndGet);

            assertThat(first.fromCache()).isFalse();
            assertThat(first.bytesDownloaded()).isEqualTo(Files.size(large));
            assertThat(Files.mismatch(first.file(), large)).isEqualTo(-1);
            assertThat(second.fromCache()).isTrue();
            assertThat(second.bytesDownloaded()).isZero();
            assertThat(progress.get()).isEqualTo(Files.size(large));

            Path changed = cacheDirectory.resolve("changed.csv");
            Files.writeString(changed, "a;b\n3;4\n5;6\n");
            Location smallLocation = Location.parse("s3://lake/lake/changing.csv");
            store.upload(small, smallLocation);
            assertThat(cache.fetch(smallLocation, n -> { }).fromCache()).isFalse();
            assertThat(cache.fetch(smallLocation, n -> { }).fromCache()).isTrue();
            store.upload(changed, smallLocation);
            FileCache.Fetched again = cache.fetch(smallLocation, n -> { });
            assertThat(again.fromCache()).isFalse();
            assertThat(Files.readString(again.file())).isEqualTo("a;b\n3;4\n5;6\n");
        }
    }

    @Test
    void aDownloadCutInTheMiddleIsRetriedAndComplete() throws IOException {
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint(), 2 * 1024 * 1024, 2);
             ObjectStores store = new ObjectStores(settings(proxy.endpoint().toString(), SECRET))) {
            FileCache cache = new FileCache(cacheDirectory, store);

            FileCache.Fetched fetched = cache.fetch(Location.parse("s3://lake/lake/cerema/lovac/2024/raw.csv"), n -> { });

            assertThat(proxy.cuts.get()).isEqualTo(2);
            assertThat(Files.mismatch(fetched.file(), large)).isEqualTo(-1);
            assertThat(Files.list(fetched.file().getParent())).noneMatch(path -> path.toString().endsWith(".part"));
        }
    }

    @Test
    void aCorruptedDownloadIsDetectedByItsChecksumAndFetchedAgain() throws IOException {
        // Small enough for one GET: its MD5 is the ETag.
        Path medium = files.resolve("medium.csv");
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(content);
        Files.write(medium, content);
        try (ObjectStores direct = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            direct.upload(medium, Location.parse("s3://lake/lake/medium.csv"));
        }
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint(), 1024 * 1024, 1, CuttingProxy.Fault.CORRUPT);
             ObjectStores store = new ObjectStores(settings(proxy.endpoint().toString(), SECRET))) {
            FileCache.Fetched fetched = new FileCache(cacheDirectory, store).fetch(Location.parse("s3://lake/lake/medium.csv"),
                    n -> { });

            assertThat(proxy.cuts.get()).isEqualTo(1);
            assertThat(Files.mismatch(fetched.file(), medium)).isEqualTo(-1);
        }
    }

    @Test
    void aLargeFileIsUploadedInPartsAndReadBackIdentical() throws IOException {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            Location location = Location.parse("s3://lake/lake/multipart/raw.csv");

            // 12 MB in parts of 5 MB: three parts, each checked against its MD5.
            ObjectInfo uploaded = store.upload(large, location);

            assertThat(uploaded.size()).isEqualTo(Files.size(large));
            assertThat(uploaded.etag()).as("a multipart ETag: MD5 of the parts' MD5s, then the part count")
                    .matches("[0-9a-f]{32}-3");
            assertThat(store.stat(location).size()).isEqualTo(Files.size(large));
            Path copy = cacheDirectory.resolve("copy.csv");
            store.download(store.stat(location), copy, n -> { });
            assertThat(Files.mismatch(copy, large)).isEqualTo(-1);
        }
    }

    @Test
    void anUploadDamagedOnTheWayNeverLeavesDamagedBytesInTheStore() throws IOException {
        Path medium = files.resolve("upload.csv");
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(11).nextBytes(content);
        Files.write(medium, content);
        // One byte of the request flipped 1 MB in. The store refuses the body (its Content-MD5, or over plain HTTP
        // the signed payload hash, no longer matches): the upload is sent again or fails, never stored damaged.
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint(), 1024 * 1024, 1, CuttingProxy.Fault.CORRUPT, true);
             ObjectStores store = new ObjectStores(settings(proxy.endpoint().toString(), SECRET))) {
            Location location = Location.parse("s3://lake/lake/uploaded/upload.csv");
            try {
                store.upload(medium, location);
            } catch (EntrepotException refused) {
                assertThat(refused.getMessage()).contains(location.toString());
            }

            assertThat(proxy.cuts.get()).isEqualTo(1);
            if (!store.list(location).isEmpty()) {
                Path copy = cacheDirectory.resolve("upload-copy.csv");
                store.download(store.stat(location), copy, n -> { });
                assertThat(Files.mismatch(copy, medium)).isEqualTo(-1);
            }
        }
    }

    @Test
    void aDeletedObjectIsGoneAndDeletingItAgainIsHarmless() throws IOException {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            Location location = Location.parse("s3://lake/lake/deleted/small.csv");
            store.upload(small, location);

            store.delete(location);
            store.delete(location);

            assertThat(store.list(Location.parse("s3://lake/lake/deleted/"))).isEmpty();
            assertThatThrownBy(() -> store.stat(location)).hasMessageStartingWith("There is no object " + location);
        }
    }

    @Test
    void wrongCredentialsAreNamed() {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), Secret.of("not-the-secret")))) {
            assertThatThrownBy(() -> store.stat(Location.parse("s3://lake/lake/lovac/2026/raw.csv")))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageStartingWith("The object storage at " + s3.endpoint() + " refused access to"
                            + " s3://lake/lake/lovac/2026/raw.csv")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("CELLAR_SECRET_ACCESS_KEY"))
                    .satisfies(e -> assertThat(e.getMessage() + ((EntrepotException) e).hint()).doesNotContain("not-the-secret"));
        }
    }

    @Test
    void aMissingObjectSuggestsTheKeysThatLookLikeIt() {
        try (ObjectStores store = new ObjectStores(settings(s3.endpoint().toString(), SECRET))) {
            assertThatThrownBy(() -> store.stat(Location.parse("s3://lake/lake/cerema/lovac/2026/raw.csv")))
                    .hasMessage("There is no object s3://lake/lake/cerema/lovac/2026/raw.csv at " + s3.endpoint() + ".")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint())
                            .startsWith("Objects with a similar key: s3://lake/lake/lovac/2026/raw.csv"));
        }
    }

    @Test
    void anUnreachableStoreIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StorageSettings unreachable = settings("http://127.0.0.1:" + closedPort, SECRET).withParts(5, 1, 1);
        try (ObjectStores store = new ObjectStores(unreachable)) {
            assertThatThrownBy(() -> store.stat(Location.parse("s3://lake/a.csv")))
                    .hasMessageStartingWith("Cannot reach the object storage at http://127.0.0.1:" + closedPort);
        }
    }
}
