package fr.zlv.entrepot.ingest.files;

import java.util.List;

/** The whole of {@code sources.yml}. */
public record CatalogDocument(List<SourceEntry> sources) {

    public CatalogDocument {
        sources = sources == null ? List.of() : sources;
    }
}
