package fr.zlv.entrepot.dbt.project;

import java.util.List;
import java.util.Map;

/**
 * The {@code models:} / {@code seeds:} / {@code snapshots:} / {@code tests:} tree of {@code dbt_project.yml}:
 * keys with a '+' (or a scalar value) are configs for everything below, map-valued keys are a package or
 * a folder. A node's fqn ({@code [project, folder, ..., name]}) walks down the tree.
 */
public final class ConfigTree {

    private final Map<String, Object> tree;

    public ConfigTree(Map<String, Object> tree) {
        this.tree = tree;
    }

    public static ConfigTree empty() {
        return new ConfigTree(Map.of());
    }

    /** Applies every level on the path of {@code fqn} to {@code config}, outermost first. */
    public void applyTo(NodeConfig config, List<String> fqn) {
        applyLevel(config, tree);
        Map<String, Object> level = tree;
        for (String part : fqn) {
            Object next = level.get(part);
            if (!(next instanceof Map<?, ?>)) {
                return;
            }
            level = Yaml.map(next);
            applyLevel(config, level);
        }
    }

    private static void applyLevel(NodeConfig config, Map<String, Object> level) {
        for (Map.Entry<String, Object> entry : level.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            boolean isConfig = key.startsWith("+") || !(value instanceof Map<?, ?>) || isMapConfig(key);
            if (isConfig && value != null) {
                config.merge(Map.of(key, value));
            }
        }
    }

    /** Configs whose value is itself a map (so they are not folders). */
    private static boolean isMapConfig(String key) {
        String bare = key.startsWith("+") ? key.substring(1) : key;
        return bare.equals("meta") || bare.equals("persist_docs") || bare.equals("column_types") || bare.equals("docs")
                || bare.equals("quoting") || bare.equals("grants") || bare.equals("contract");
    }
}
