package fr.zlv.entrepot.dbt.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's configuration: what {@code dbt_project.yml}, the properties files and the node's own
 * {@code config()} call say, merged in that order. Tags and hooks add up across levels, {@code meta} merges
 * key by key, everything else is replaced by the more specific level.
 */
public final class NodeConfig {

    private static final Set<String> ADDITIVE = Set.of("tags", "pre-hook", "post-hook");

    private final Map<String, Object> values = new LinkedHashMap<>();

    public NodeConfig() {
    }

    public NodeConfig(Map<String, Object> initial) {
        merge(initial);
    }

    public NodeConfig copy() {
        NodeConfig copy = new NodeConfig();
        copy.merge(values);
        return copy;
    }

    /** Merges {@code more} over this config. Keys may be written with a leading '+' or with underscores for hooks. */
    @SuppressWarnings("unchecked")
    public NodeConfig merge(Map<String, Object> more) {
        for (Map.Entry<String, Object> entry : more.entrySet()) {
            String key = normalise(entry.getKey());
            Object value = entry.getValue();
            if (ADDITIVE.contains(key)) {
                List<Object> combined = new ArrayList<>(Yaml.list(values.get(key)));
                for (Object item : Yaml.list(value)) {
                    if (!combined.contains(item) || !key.equals("tags")) {
                        combined.add(item);
                    }
                }
                values.put(key, combined);
            } else if (key.equals("meta") && value instanceof Map<?, ?> meta) {
                Map<String, Object> merged = new LinkedHashMap<>(Yaml.map(values.get("meta")));
                merged.putAll((Map<String, Object>) meta);
                values.put(key, merged);
            } else {
                values.put(key, value);
            }
        }
        return this;
    }

    static String normalise(String key) {
        String bare = key.startsWith("+") ? key.substring(1) : key;
        return switch (bare) {
            case "pre_hook" -> "pre-hook";
            case "post_hook" -> "post-hook";
            default -> bare;
        };
    }

    public Object get(String key) {
        return values.get(normalise(key));
    }

    public Object get(String key, Object fallback) {
        Object value = values.get(normalise(key));
        return value == null ? fallback : value;
    }

    public void put(String key, Object value) {
        values.put(normalise(key), value);
    }

    public String string(String key, String fallback) {
        Object value = get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    public boolean bool(String key, boolean fallback) {
        Object value = get(key);
        if (value == null) {
            return fallback;
        }
        return value instanceof Boolean flag ? flag : Boolean.parseBoolean(String.valueOf(value));
    }

    public String materialized() {
        return string("materialized", "view");
    }

    public boolean enabled() {
        return bool("enabled", true);
    }

    public List<String> tags() {
        return Yaml.strings(get("tags"));
    }

    public List<String> preHooks() {
        return hooks("pre-hook");
    }

    public List<String> postHooks() {
        return hooks("post-hook");
    }

    /** Hooks as SQL strings; a hook may also be written {sql: ..., transaction: ...}. */
    private List<String> hooks(String key) {
        List<String> hooks = new ArrayList<>();
        for (Object hook : Yaml.list(get(key))) {
            if (hook instanceof Map<?, ?> map) {
                hooks.add(String.valueOf(map.get("sql")));
            } else if (hook != null) {
                hooks.add(String.valueOf(hook));
            }
        }
        return hooks;
    }

    public Map<String, Object> meta() {
        return Yaml.map(get("meta"));
    }

    /** unique_key as a list of columns (dbt accepts one column or several). */
    public List<String> uniqueKey() {
        return Yaml.strings(get("unique_key"));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
