package fr.zlv.entrepot.core.storage;

import java.time.Instant;

/**
 * What a store says of a file before reading it.
 *
 * @param etag         the entity tag without quotes, or null when the store gives none
 * @param lastModified when it last changed, or null
 */
public record ObjectInfo(Location location, long size, String etag, Instant lastModified) {

    /** A version key for the cache: the ETag, else the modification time and size. */
    public String version() {
        if (etag != null && !etag.isBlank()) {
            return "etag:" + etag;
        }
        return "modified:" + (lastModified == null ? "?" : lastModified.toString()) + ":size:" + size;
    }
}
