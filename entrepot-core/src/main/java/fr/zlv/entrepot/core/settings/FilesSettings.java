package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The yearly and reference files: where their catalog is. */
public record FilesSettings(
        @JsonPropertyDescription("The source catalog; relative to the settings file.")
        String catalog,
        @JsonPropertyDescription("Bucket of the data lake (CELLAR_DATA_LAKE_BUCKET_NAME), for ${bucket} in the catalog.")
        String bucket) {

    public FilesSettings {
        catalog = catalog == null || catalog.isBlank() ? "sources.yml" : catalog;
        bucket = bucket == null || bucket.isBlank() ? "zlv-data-lake" : bucket;
    }

    public FilesSettings withCatalog(String newCatalog) {
        return new FilesSettings(newCatalog, bucket);
    }

    public FilesSettings withBucket(String newBucket) {
        return new FilesSettings(catalog, newBucket);
    }
}
