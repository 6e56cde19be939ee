package fr.zlv.entrepot.core.storage;

import fr.zlv.entrepot.core.EntrepotException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where a file is: an object in S3-compatible storage ({@code s3://bucket/key}), a web address
 * ({@code https://…}), or a path on this machine.
 */
public record Location(Kind kind, String bucket, String key, URI uri, Path path) {

    public enum Kind { S3, HTTP, FILE }

    public static Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw EntrepotException.badInput("An empty location.", "Write s3://bucket/key, https://… or a file path.");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("s3://")) {
            String rest = trimmed.substring(5);
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                throw EntrepotException.badInput("'" + trimmed + "' has no bucket or no key.", "Write s3://bucket/path/to/file.");
            }
            return new Location(Kind.S3, rest.substring(0, slash), rest.substring(slash + 1), null, null);
        }
        if (trimmed.startsWith("https://") || trimmed.startsWith("http://")) {
            try {
                return new Location(Kind.HTTP, null, null, URI.create(trimmed), null);
            } catch (IllegalArgumentException e) {
                throw EntrepotException.badInput("'" + trimmed + "' is not a valid URL: " + e.getMessage(), null);
            }
        }
        if (trimmed.startsWith("file://")) {
            return new Location(Kind.FILE, null, null, null, Path.of(URI.create(trimmed)));
        }
        if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw EntrepotException.badInput("'" + trimmed + "': unknown scheme.", "Use s3://, https://, http:// or a path.");
        }
        return new Location(Kind.FILE, null, null, null, Path.of(trimmed));
    }

    public static Location s3(String bucket, String key) {
        return new Location(Kind.S3, bucket, key, null, null);
    }

    /** The last part of the location: the file's name. */
    public String fileName() {
        String name = switch (kind) {
            case S3 -> key;
            case HTTP -> uri.getPath() == null || uri.getPath().isEmpty() ? uri.getHost() : uri.getPath();
            case FILE -> path.toString();
        };
        int slash = name.lastIndexOf('/');
        String last = slash >= 0 ? name.substring(slash + 1) : name;
        return last.isEmpty() ? "download" : last;
    }

    /** The same bucket, another key. */
    public Location withKey(String newKey) {
        return new Location(kind, bucket, newKey, uri, path);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case S3 -> "s3://" + bucket + "/" + key;
            case HTTP -> uri.toString();
            case FILE -> path.toString();
        };
    }
}
