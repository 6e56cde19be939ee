package fr.zlv.entrepot.ingest.storage;

import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The one object store Entrepôt hands around: it sends {@code s3://} locations to S3 (the client is
 * made on first use, so local work needs no credentials), web addresses to HTTP, and paths to the disk.
 */
public final class ObjectStores implements ObjectStore {

    private final StorageSettings settings;
    private final HttpObjectStore http;
    private final LocalObjectStore local = new LocalObjectStore();
    private S3ObjectStore s3;

    public ObjectStores(StorageSettings settings) {
        this.settings = settings;
        this.http = new HttpObjectStore(settings.maxAttempts());
    }

    private synchronized S3ObjectStore s3() {
        if (s3 == null) {
            s3 = new S3ObjectStore(settings);
        }
        return s3;
    }

    private ObjectStore storeOf(Location location) {
        return switch (location.kind()) {
            case S3 -> s3();
            case HTTP -> http;
            case FILE -> local;
        };
    }

    @Override
    public ObjectInfo stat(Location location) {
        return storeOf(location).stat(location);
    }

    @Override
    public void download(ObjectInfo object, Path target, LongConsumer bytes) {
        storeOf(object.location()).download(object, target, bytes);
    }

    @Override
    public List<ObjectInfo> list(Location prefix) {
        return storeOf(prefix).list(prefix);
    }

    @Override
    public ObjectInfo upload(Path file, Location target) {
        return storeOf(target).upload(file, target);
    }

    @Override
    public void delete(Location location) {
        storeOf(location).delete(location);
    }

    /** Creates an S3 bucket if it does not exist. */
    public void ensureBucket(String bucket) {
        s3().ensureBucket(bucket);
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
