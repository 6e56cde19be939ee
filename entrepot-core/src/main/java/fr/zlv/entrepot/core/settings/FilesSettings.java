package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The yearly and reference files: where their catalog is. */
public record FilesSettings(
        @JsonPropertyDescription("The source catalog; relative to the settings file.")
        String catalog) {

    public FilesSettings {
        catalog = catalog == null || catalog.isBlank() ? "sources.yml" : catalog;
    }

    public FilesSettings withCatalog(String newCatalog) {
        return new FilesSettings(newCatalog);
    }
}
