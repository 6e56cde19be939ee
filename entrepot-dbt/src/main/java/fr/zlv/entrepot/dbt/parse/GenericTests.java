package fr.zlv.entrepot.dbt.parse;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code tests:} / {@code data_tests:} entries of properties files into test nodes, as dbt does.
 *
 * <p>An entry is a test name ({@code - unique}), or a one-key map whose value holds the arguments and the
 * configuration: either mixed ({@code - accepted_values: {values: [a, b], severity: warn}}, the older form) or
 * apart ({@code - accepted_values: {arguments: {values: [a, b]}, config: {severity: warn}}}). A map with
 * {@code test_name} names its test itself ({@code - name: status_is_known, test_name: accepted_values, ...}). A
 * dotted name calls a package's test ({@code dbt_utils.expression_is_true}).
 *
 * <p>Names follow dbt's: {@code <test>_<model>_<arguments...>} ({@code not_null_orders_order_id},
 * {@code accepted_values_orders_status__placed__shipped}), with {@code source_} in front for a source's tests, and
 * the first 30 characters plus an MD5 when that is 64 characters or more.
 */
final class GenericTests {

    /** Keys of an entry that configure the test rather than pass it an argument. */
    private static final Set<String> CONFIG_KEYS = Set.of("severity", "tags", "enabled", "where", "limit", "warn_if",
            "error_if", "fail_calc", "store_failures", "store_failures_as", "meta", "alias", "schema", "database");
    private static final Pattern REF = Pattern.compile(
            "\\bref\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]+)['\"]\\s*)?\\)");
    private static final Pattern SOURCE = Pattern.compile(
            "\\bsource\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)");

    /** What a test is defined on: a model, seed or snapshot (by name), or a source table. */
    record Target(String packageName, String name, String sourceName, String yamlFile, Path file, List<String> folders) {

        boolean isSource() {
            return sourceName != null;
        }

        /** The name tests use: {@code orders}, or {@code raw_orders} for table orders of source raw. */
        String testTargetName() {
            return isSource() ? sourceName + "_" + name : name;
        }
    }

    private GenericTests() {
    }

    /**
     * The test node of one entry.
     *
     * @param column      the column the entry is under, or null for a test on the whole model
     * @param columnTags  the column's tags, which its tests take
     */
    static Node build(Target target, String column, List<String> columnTags, Object entry) {
        String testName;
        String customName = null;
        Map<String, Object> body;
        if (entry instanceof String name) {
            testName = name;
            body = Map.of();
        } else if (entry instanceof Map<?, ?> map && map.containsKey("test_name")) {
            body = new LinkedHashMap<>(Yaml.map(map));
            testName = String.valueOf(body.remove("test_name"));
            customName = Yaml.string(body.remove("name"), null);
        } else if (entry instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            testName = String.valueOf(only.getKey());
            body = Yaml.map(only.getValue());
        } else {
            throw DbtException.project(target.yamlFile() + ": a test of " + target.testTargetName()
                    + (column == null ? "" : "." + column) + " should be a name or a map with one key, not " + entry + ".",
                    "Write - unique, or - accepted_values: {values: [a, b]}.");
        }
        String namespace = null;
        if (testName.contains(".")) {
            namespace = testName.substring(0, testName.indexOf('.'));
            testName = testName.substring(testName.indexOf('.') + 1);
        }

        Map<String, Object> arguments = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        for (Map.Entry<String, Object> item : body.entrySet()) {
            switch (item.getKey()) {
                case "arguments" -> arguments.putAll(Yaml.map(item.getValue()));
                case "config" -> config.putAll(Yaml.map(item.getValue()));
                case "description", "name" -> {
                    // Documentation of the test, not an argument.
                }
                default -> {
                    if (CONFIG_KEYS.contains(item.getKey())) {
                        config.put(item.getKey(), item.getValue());
                    } else {
                        arguments.put(item.getKey(), item.getValue());
                    }
                }
            }
        }
        if (column != null) {
            arguments.put("column_name", column);
        }

        String name = customName != null ? customName : name(target, namespace, testName, arguments);
        List<String> fqn = new ArrayList<>();
        fqn.add(target.packageName());
        fqn.addAll(target.folders());
        fqn.add(name);
        String rawCode = "{{ test_" + testName + "(**_dbt_generic_test_kwargs) }}";
        NodeConfig nodeConfig = new NodeConfig();
        if (!columnTags.isEmpty()) {
            nodeConfig.merge(Map.of("tags", columnTags));
        }
        nodeConfig.merge(config);
        String uniqueId = "test." + target.packageName() + "." + name + "."
                + md5(target.testTargetName() + "|" + column + "|" + namespace + "|" + testName + "|"
                + new TreeMap<>(arguments)).substring(0, 10);
        Node node = new Node(ResourceType.TEST, target.packageName(), name, target.file(), target.yamlFile(),
                name + ".sql", fqn, rawCode, nodeConfig, uniqueId);
        Map<String, Object> kwargs = new LinkedHashMap<>(arguments);
        kwargs.put("model", target.isSource()
                ? "{{ get_where_subquery(source('" + target.sourceName() + "', '" + target.name() + "')) }}"
                : "{{ get_where_subquery(ref('" + target.name() + "')) }}");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", testName);
        metadata.put("kwargs", kwargs);
        metadata.put("namespace", namespace);
        node.testMetadata(metadata);
        node.columnName(column);
        if (target.isSource()) {
            node.sources().add(List.of(target.sourceName(), target.name()));
        } else {
            node.refs().add(new Node.Ref(target.packageName(), target.name()));
        }
        addReferences(arguments, node);
        node.checksum(sha256Hex(uniqueId));
        return node;
    }

    /** dbt's generated name: the test, its target and its arguments, made identifier-safe. */
    static String name(Target target, String namespace, String testName, Map<String, Object> arguments) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> argument : new TreeMap<>(arguments).entrySet()) {
            Object value = argument.getValue();
            if (value instanceof Map<?, ?> map) {
                map.values().forEach(item -> parts.add(String.valueOf(item)));
            } else if (value instanceof List<?> list) {
                list.forEach(item -> parts.add(String.valueOf(item)));
            } else {
                parts.add(String.valueOf(value));
            }
        }
        String suffix = String.join("__", parts.stream().map(part -> part.replaceAll("[^0-9a-zA-Z_]+", "_"))
                .toList());
        String identifier = (target.isSource() ? "source_" : "") + (namespace == null ? "" : namespace + "_")
                + testName + "_" + target.testTargetName();
        String full = suffix.isEmpty() ? identifier : identifier + "_" + suffix;
        if (full.length() >= 64) {
            return identifier.substring(0, Math.min(30, identifier.length())) + "_" + md5(full);
        }
        return full;
    }

    /** ref() and source() calls in the arguments ({@code to: ref('customers')}): the test depends on them too. */
    private static void addReferences(Object value, Node node) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> addReferences(item, node));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> addReferences(item, node));
        } else if (value instanceof String text) {
            Matcher ref = REF.matcher(text);
            while (ref.find()) {
                node.refs().add(ref.group(2) == null ? new Node.Ref(null, ref.group(1))
                        : new Node.Ref(ref.group(1), ref.group(2)));
            }
            Matcher source = SOURCE.matcher(text);
            while (source.find()) {
                node.sources().add(List.of(source.group(1), source.group(2)));
            }
        }
    }

    /** The checksum dbt records: sha256 of the test's definition. */
    private static String sha256Hex(String text) {
        return ProjectParser.sha256(text);
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
