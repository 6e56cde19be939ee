package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.net.URI;

/** The S3-compatible object storage (Clever Cloud's Cellar) and the local cache of what is downloaded. */
public record StorageSettings(
        @JsonPropertyDescription("S3 endpoint (CELLAR_HOST_URL), e.g. cellar-c2.services.clever-cloud.com; https:// is"
                + " added when no scheme is given. Empty: AWS's own endpoints.")
        String endpoint,
        @JsonPropertyDescription("Region (CELLAR_REGION); S3-compatible stores accept any.")
        String region,
        @JsonPropertyDescription("Access key (CELLAR_ACCESS_KEY_ID).")
        String accessKeyId,
        @JsonPropertyDescription("Secret key (CELLAR_SECRET_ACCESS_KEY); masked wherever settings print.")
        Secret secretAccessKey,
        @JsonPropertyDescription("Path-style URLs (endpoint/bucket/key), as Cellar wants.")
        Boolean pathStyle,
        @JsonPropertyDescription("Where downloaded files are kept, keyed by location and ETag.")
        String cacheDirectory,
        @JsonPropertyDescription("Objects larger than this are read in parallel ranges of this size (MB).")
        Integer partSizeMb,
        @JsonPropertyDescription("Ranges read at once.")
        Integer parallelParts,
        @JsonPropertyDescription("Attempts for a request or a range before giving up (transient errors only).")
        Integer maxAttempts) {

    public StorageSettings {
        endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
        region = region == null || region.isBlank() ? "us-east-1" : region;
        accessKeyId = accessKeyId == null ? "" : accessKeyId;
        secretAccessKey = secretAccessKey == null ? Secret.empty() : secretAccessKey;
        pathStyle = pathStyle == null || pathStyle;
        cacheDirectory = cacheDirectory == null || cacheDirectory.isBlank() ? "data/cache" : cacheDirectory;
        partSizeMb = partSizeMb == null ? 16 : partSizeMb;
        parallelParts = parallelParts == null ? 4 : parallelParts;
        maxAttempts = maxAttempts == null ? 4 : maxAttempts;
        if (partSizeMb < 5) {
            throw new InvalidSettingException("part_size_mb", "must be at least 5 (S3's smallest part)");
        }
        if (parallelParts < 1) {
            throw new InvalidSettingException("parallel_parts", "must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new InvalidSettingException("max_attempts", "must be at least 1");
        }
        if (endpoint != null) {
            try {
                URI uri = URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("endpoint", "is not a URL or a host name: '" + endpoint + "'",
                        "Write it as https://cellar-c2.services.clever-cloud.com, or just the host.");
            }
        }
    }

    public static StorageSettings defaults() {
        return new StorageSettings(null, null, null, null, null, null, null, null, null);
    }

    /** The endpoint as a URI, https:// added when the setting is a bare host; null for AWS's own. */
    public URI endpointUri() {
        return endpoint == null ? null : URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
    }

    public StorageSettings withEndpoint(String newEndpoint, String newAccessKeyId, Secret newSecret) {
        return new StorageSettings(newEndpoint, region, newAccessKeyId, newSecret, pathStyle, cacheDirectory, partSizeMb,
                parallelParts, maxAttempts);
    }

    public StorageSettings withCacheDirectory(String newCacheDirectory) {
        return new StorageSettings(endpoint, region, accessKeyId, secretAccessKey, pathStyle, newCacheDirectory,
                partSizeMb, parallelParts, maxAttempts);
    }

    public StorageSettings withParts(int newPartSizeMb, int newParallelParts, int newMaxAttempts) {
        return new StorageSettings(endpoint, region, accessKeyId, secretAccessKey, pathStyle, cacheDirectory,
                newPartSizeMb, newParallelParts, newMaxAttempts);
    }
}
