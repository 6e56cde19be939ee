package fr.zlv.entrepot.core.settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings as read from a file.
 *
 * @param file    the settings file, absolute
 * @param settings the values, relative paths already resolved
 * @param origins for each key whose value came from the environment, the variable it read
 *                (or {@code "VAR (unset, default)"} when the default was taken)
 */
public record LoadedSettings(Path file, Settings settings, Map<String, String> origins) {

    public LoadedSettings {
        origins = Map.copyOf(origins);
    }

    public LoadedSettings withSettings(Settings newSettings) {
        return new LoadedSettings(file, newSettings, origins);
    }

    /** The directory relative paths start from. */
    public Path baseDirectory() {
        return file.getParent();
    }
}
