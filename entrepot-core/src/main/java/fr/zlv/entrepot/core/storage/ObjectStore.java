package fr.zlv.entrepot.core.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Files in object storage, on the web or on disk: what ingestion reads and publication writes.
 * Implementations live where the protocols are (S3, HTTPS); modules that only need to move files get one
 * through this interface.
 */
public interface ObjectStore extends AutoCloseable {

    /** Size, ETag and modification time, without reading the content. */
    ObjectInfo stat(Location location);

    /** Writes the object's content to {@code target}, telling {@code bytes} as they arrive. */
    void download(ObjectInfo object, Path target, LongConsumer bytes);

    /** The objects whose location starts with {@code prefix}. */
    List<ObjectInfo> list(Location prefix);

    /** Puts a file at {@code target}. */
    ObjectInfo upload(Path file, Location target);

    /** Removes the object at {@code location}; nothing happens when there is none. */
    void delete(Location location);

    @Override
    default void close() {
    }
}
