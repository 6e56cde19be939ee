package fr.zlv.entrepot.dbt.graph;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: {@code -s/--select}, {@code --exclude} and {@code --selector}.
 *
 * <p>Spaces separate a union, commas an intersection. Each term is {@code [@][N+]method:value[+N]}: methods
 * {@code fqn} (the default; {@code *} wildcards), {@code tag}, {@code path}, {@code file}, {@code config.<key>},
 * {@code source}, {@code resource_type}, {@code package}, {@code test_name}, {@code test_type}; {@code +x}
 * adds x's ancestors (N levels with {@code N+}), {@code x+} its descendants, {@code @x} its descendants and
 * their ancestors. A value with a slash is a path. Selectors of {@code selectors.yml} use the same methods as
 * YAML ({@code method}/{@code value}/{@code children}/{@code parents}, {@code union}, {@code intersection},
 * {@code exclude}).
 */
public final class Selector {

    private static final Pattern TERM = Pattern.compile("^(@)?(?:(\\d*)\\+)?(.+?)(?:\\+(\\d*))?$");

    private final Manifest manifest;

    public Selector(Manifest manifest) {
        this.manifest = manifest;
    }

    /** The selected unique ids (nodes and sources); all nodes when {@code select} is empty. */
    public Set<String> select(List<String> select, List<String> exclude, String selectorName) {
        if (selectorName == null && select.isEmpty() && exclude.isEmpty()) {
            selectorName = defaultSelector();
        }
        Set<String> selected;
        if (selectorName != null) {
            Object definition = definition(selectorName);
            selected = evaluate(definition);
            if (!select.isEmpty()) {
                selected.retainAll(union(select));
            }
        } else if (select.isEmpty()) {
            selected = new LinkedHashSet<>(manifest.nodes().keySet());
            selected.addAll(manifest.unitTests().keySet());
        } else {
            selected = union(select);
        }
        if (!exclude.isEmpty()) {
            selected.removeAll(union(exclude));
        }
        return selected;
    }

    /** The selector marked {@code default: true}, used when the command selects nothing. */
    private String defaultSelector() {
        for (Map.Entry<String, Object> entry : manifest.selectors().entrySet()) {
            if (Boolean.TRUE.equals(Yaml.map(entry.getValue()).get("default"))) {
                return entry.getKey();
            }
        }
        return null;
    }

    private Object definition(String name) {
        Map<String, Object> selector = Yaml.map(manifest.selectors().get(name));
        if (selector.isEmpty()) {
            throw DbtException.project("No selector named '" + name + "' in selectors.yml.",
                    manifest.selectors().isEmpty() ? "The project has no selectors.yml."
                            : "Selectors: " + String.join(", ", manifest.selectors().keySet()) + ".");
        }
        return selector.get("definition");
    }

    /** A YAML selector definition. */
    private Set<String> evaluate(Object definition) {
        if (definition instanceof String text) {
            return union(List.of(text));
        }
        Map<String, Object> map = Yaml.map(definition);
        if (map.containsKey("union")) {
            Set<String> result = new LinkedHashSet<>();
            Set<String> removed = new LinkedHashSet<>();
            for (Object part : Yaml.list(map.get("union"))) {
                Map<String, Object> partMap = Yaml.map(part);
                if (partMap.containsKey("exclude")) {
                    for (Object excluded : Yaml.list(partMap.get("exclude"))) {
                        removed.addAll(evaluate(excluded));
                    }
                } else {
                    result.addAll(evaluate(part));
                }
            }
            result.removeAll(removed);
            return result;
        }
        if (map.containsKey("intersection")) {
            Set<String> result = null;
            Set<String> removed = new LinkedHashSet<>();
            for (Object part : Yaml.list(map.get("intersection"))) {
                Map<String, Object> partMap = Yaml.map(part);
                if (partMap.containsKey("exclude")) {
                    for (Object excluded : Yaml.list(partMap.get("exclude"))) {
                        removed.addAll(evaluate(excluded));
                    }
                    continue;
                }
                Set<String> current = evaluate(part);
                if (result == null) {
                    result = current;
                } else {
                    result.retainAll(current);
                }
            }
            Set<String> finalResult = result == null ? new LinkedHashSet<>() : result;
            finalResult.removeAll(removed);
            return finalResult;
        }
        if (map.containsKey("method")) {
            String method = String.valueOf(map.get("method"));
            String value = String.valueOf(map.get("value"));
            Set<String> base = atom(method, value);
            Set<String> result = new LinkedHashSet<>(base);
            boolean parents = Boolean.parseBoolean(Yaml.string(map.get("parents"), "false"));
            boolean children = Boolean.parseBoolean(Yaml.string(map.get("children"), "false"));
            int parentsDepth = Integer.parseInt(Yaml.string(map.get("parents_depth"), "-1"));
            int childrenDepth = Integer.parseInt(Yaml.string(map.get("children_depth"), "-1"));
            if (parents || map.containsKey("parents_depth")) {
                result.addAll(manifest.ancestors(base, parentsDepth));
            }
            if (children || map.containsKey("children_depth")) {
                result.addAll(manifest.descendants(base, childrenDepth));
            }
            if (Boolean.parseBoolean(Yaml.string(map.get("childrens_parents"), "false"))) {
                Set<String> descendants = manifest.descendants(base, -1);
                result.addAll(descendants);
                result.addAll(manifest.ancestors(descendants, -1));
            }
            Set<String> removed = new LinkedHashSet<>();
            for (Object excluded : Yaml.list(map.get("exclude"))) {
                removed.addAll(evaluate(excluded));
            }
            result.removeAll(removed);
            return result;
        }
        throw DbtException.project("A selector definition must be a string, or have union, intersection or method: "
                + definition, null);
    }

    /** Space-separated terms (in one or several arguments): their union. */
    private Set<String> union(List<String> arguments) {
        Set<String> result = new LinkedHashSet<>();
        for (String argument : arguments) {
            for (String term : argument.trim().split("\\s+")) {
                if (!term.isEmpty()) {
                    result.addAll(intersection(term));
                }
            }
        }
        return result;
    }

    private Set<String> intersection(String term) {
        Set<String> result = null;
        for (String part : term.split(",")) {
            Set<String> current = graphTerm(part);
            if (result == null) {
                result = current;
            } else {
                result.retainAll(current);
            }
        }
        return result == null ? new LinkedHashSet<>() : result;
    }

    private Set<String> graphTerm(String term) {
        Matcher matcher = TERM.matcher(term);
        if (!matcher.matches()) {
            throw DbtException.project("Cannot read the selector '" + term + "'.", null);
        }
        boolean at = matcher.group(1) != null;
        String parentsDepth = matcher.group(2);
        String spec = matcher.group(3);
        String childrenDepth = matcher.group(4);
        int colon = spec.indexOf(':');
        String method = colon > 0 ? spec.substring(0, colon) : defaultMethod(spec);
        String value = colon > 0 ? spec.substring(colon + 1) : spec;
        Set<String> base = atom(method, value);
        Set<String> result = new LinkedHashSet<>(base);
        if (parentsDepth != null) {
            result.addAll(manifest.ancestors(base, parentsDepth.isEmpty() ? -1 : Integer.parseInt(parentsDepth)));
        }
        if (childrenDepth != null) {
            result.addAll(manifest.descendants(base, childrenDepth.isEmpty() ? -1 : Integer.parseInt(childrenDepth)));
        }
        if (at) {
            Set<String> descendants = manifest.descendants(base, -1);
            result.addAll(descendants);
            result.addAll(manifest.ancestors(descendants, -1));
            result.addAll(manifest.ancestors(base, -1));
        }
        return result;
    }

    private static String defaultMethod(String value) {
        return value.contains("/") || value.contains("\\") || value.endsWith(".sql") || value.endsWith(".csv")
                ? "path" : "fqn";
    }

    /** The nodes and sources one method selects. */
    private Set<String> atom(String method, String value) {
        Set<String> result = new LinkedHashSet<>();
        String lower = method.toLowerCase(Locale.ROOT);
        for (Node node : manifest.nodes().values()) {
            if (matches(node, lower, value)) {
                result.add(node.uniqueId());
            }
        }
        for (Node unitTest : manifest.unitTests().values()) {
            if (matches(unitTest, lower, value)) {
                result.add(unitTest.uniqueId());
            }
        }
        for (SourceDefinition source : manifest.sources().values()) {
            if (matches(source, lower, value)) {
                result.add(source.uniqueId());
            }
        }
        if (!List.of("fqn", "tag", "path", "file", "source", "resource_type", "package", "test_name", "test_type")
                .contains(lower) && !lower.startsWith("config.")) {
            throw DbtException.project("Unknown selector method '" + method + "'.", "Methods: fqn, tag, path, file,"
                    + " config.<key>, source, resource_type, package, test_name, test_type.");
        }
        return result;
    }

    private boolean matches(Node node, String method, String value) {
        switch (method) {
            case "fqn":
                return fqnMatches(node.fqn(), value);
            case "tag":
                return node.tags().stream().anyMatch(tag -> glob(value, tag));
            case "path":
                String path = value.replace('\\', '/').replaceAll("/$", "");
                String file = node.originalFilePath();
                return file.equals(path) || file.startsWith(path + "/") || glob(path, file);
            case "file":
                String name = node.file().getFileName().toString();
                return glob(value, name) || glob(value, name.replaceAll("\\.[^.]+$", ""));
            case "resource_type":
                return node.type().dbtName().equals(value);
            case "package":
                return node.packageName().equals(value);
            case "source":
                return false;
            case "test_name":
                return node.testMetadata() != null && glob(value, String.valueOf(node.testMetadata().get("name")));
            case "test_type":
                if (value.equals("unit")) {
                    return node.type() == ResourceType.UNIT_TEST;
                }
                return node.type() == ResourceType.TEST && (value.equals("data") || value.equals("generic")
                        ? node.testMetadata() != null : value.equals("singular") && node.testMetadata() == null);
            default:
                if (method.startsWith("config.")) {
                    Object configured = node.config().get(method.substring("config.".length()));
                    if (configured instanceof List<?> list) {
                        return list.stream().anyMatch(item -> glob(value, String.valueOf(item)));
                    }
                    return configured != null && glob(value, String.valueOf(configured));
                }
                return false;
        }
    }

    private boolean matches(SourceDefinition source, String method, String value) {
        switch (method) {
            case "source":
                String[] parts = value.split("\\.");
                if (parts.length == 1) {
                    return glob(parts[0], source.sourceName());
                }
                if (parts.length == 2) {
                    return glob(parts[0], source.sourceName()) && glob(parts[1], source.name());
                }
                return glob(parts[0], source.packageName()) && glob(parts[1], source.sourceName())
                        && glob(parts[2], source.name());
            case "resource_type":
                return value.equals("source");
            case "package":
                return source.packageName().equals(value);
            case "tag":
                return source.tags().stream().anyMatch(tag -> glob(value, tag));
            case "fqn":
                return fqnMatches(source.fqn(), value);
            case "path":
                return source.originalFilePath().startsWith(value.replace('\\', '/'));
            default:
                return false;
        }
    }

    /**
     * A node matches {@code x} when x is its name, or a dotted prefix of its fqn, with or without the package
     * first ({@code shop.staging}, {@code staging}, {@code staging.*}).
     */
    static boolean fqnMatches(List<String> fqn, String value) {
        String[] parts = value.split("\\.");
        if (parts.length == 1 && glob(parts[0], fqn.get(fqn.size() - 1))) {
            return true;
        }
        return prefixMatches(fqn, parts, 0) || prefixMatches(fqn, parts, 1);
    }

    private static boolean prefixMatches(List<String> fqn, String[] parts, int offset) {
        if (parts.length > fqn.size() - offset) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("*") && i == parts.length - 1) {
                return true;
            }
            if (!glob(parts[i], fqn.get(offset + i))) {
                return false;
            }
        }
        return true;
    }

    /** Shell-style wildcards: {@code *} any run of characters, {@code ?} one character. */
    static boolean glob(String pattern, String text) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return pattern.equals(text);
        }
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(regex.toString());
    }

    /** The selected nodes, in manifest order, without sources. */
    public List<Node> nodes(Set<String> ids) {
        List<Node> nodes = new ArrayList<>();
        for (Node node : manifest.nodes().values()) {
            if (ids.contains(node.uniqueId())) {
                nodes.add(node);
            }
        }
        return nodes;
    }
}
