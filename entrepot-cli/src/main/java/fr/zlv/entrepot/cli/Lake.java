package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.nio.file.Path;
import java.util.Map;

/** The object stores, the download cache and the source catalog of a set of settings. */
final class Lake implements AutoCloseable {

    final ObjectStores store;
    final FileCache cache;
    final Path cacheDirectory;

    Lake(LoadedSettings loaded) {
        this.store = new ObjectStores(loaded.settings().storage());
        this.cacheDirectory = Path.of(loaded.settings().storage().cacheDirectory());
        this.cache = new FileCache(cacheDirectory.resolve("downloads"), store);
    }

    /** The catalog of the settings, or {@code override} when given. */
    static SourceCatalog catalog(LoadedSettings loaded, Path override, Map<String, String> environment) {
        Path file = override != null ? override : Path.of(loaded.settings().files().catalog());
        return SourceCatalog.load(file, environment);
    }

    @Override
    public void close() {
        store.close();
    }
}
