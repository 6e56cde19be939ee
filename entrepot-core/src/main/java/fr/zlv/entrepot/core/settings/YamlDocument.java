package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML file of Entrepôt (the settings, the source catalog) into records.
 *
 * <p>Steps, in order: parse the YAML, remembering the line of every key; replace {@code ${VAR}},
 * {@code ${VAR:-default}} (default when unset or empty) and {@code ${VAR-default}} (default when unset)
 * in string values from the environment ({@code $$} is a dollar); bind to the record type in snake_case,
 * refusing unknown keys and values of the wrong type. Every problem becomes one {@link EntrepotException}
 * naming the file, the line and the key.
 *
 * @param <T> the record the document binds to
 */
public final class YamlDocument<T> {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    private final Path file;
    private final String kind;
    private final T value;
    private final Map<String, Integer> lines;
    private final Map<String, String> origins;

    private YamlDocument(Path file, String kind, T value, Map<String, Integer> lines, Map<String, String> origins) {
        this.file = file;
        this.kind = kind;
        this.value = value;
        this.lines = Map.copyOf(lines);
        this.origins = Map.copyOf(origins);
    }

    /**
     * @param file        the YAML file
     * @param type        the record to bind
     * @param kind        what the file is, for messages: "Settings", "Source catalog"
     * @param environment the variables {@code ${VAR}} reads
     * @param missingHint what to say when the file does not exist
     */
    public static <T> YamlDocument<T> read(Path file, Class<T> type, String kind, Map<String, String> environment,
                                           String missingHint) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw EntrepotException.badInput("No " + kind.toLowerCase(java.util.Locale.ROOT) + " file at " + absolute
                    + ".", missingHint);
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the " + kind.toLowerCase(java.util.Locale.ROOT) + " file "
                    + absolute + ": " + e.getMessage(), null);
        }
        Reader reader = new Reader(absolute, kind, environment);
        JsonNode tree = reader.parse(text);
        T value = reader.bind(tree, type);
        return new YamlDocument<>(absolute, kind, value, reader.lines, reader.origins);
    }

    public Path file() {
        return file;
    }

    public T value() {
        return value;
    }

    /** For each key whose value came from the environment, the variable it read ({@code "VAR (unset, default)"}). */
    public Map<String, String> origins() {
        return origins;
    }

    /** ", line N" for a key (or its nearest parent that has a line), empty when unknown. */
    public String lineOf(String key) {
        return lineOf(lines, key);
    }

    /** An error about a key of this document, with its file and line. */
    public EntrepotException error(String key, String problem, String hint) {
        return EntrepotException.badInput(kind + " error in " + file + lineOf(key) + ": " + problem, hint);
    }

    private static String lineOf(Map<String, Integer> lines, String key) {
        String probe = key;
        while (!probe.isEmpty()) {
            Integer line = lines.get(probe);
            if (line != null) {
                return ", line " + line;
            }
            int cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
            probe = cut < 0 ? "" : probe.substring(0, cut);
        }
        return "";
    }

    /** One reading: the file, its environment, and what was learnt on the way. */
    private static final class Reader {
        private final Path file;
        private final String kind;
        private final Map<String, String> environment;
        private final Map<String, Integer> lines = new HashMap<>();
        private final Map<String, String> origins = new HashMap<>();
        private final ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

        Reader(Path file, String kind, Map<String, String> environment) {
            this.file = file;
            this.kind = kind;
            this.environment = environment;
        }

        private String where(String key) {
            return kind + " error in " + file + lineOf(lines, key) + ": ";
        }

        JsonNode parse(String text) {
            try (JsonParser parser = new YAMLFactory().createParser(text)) {
                JsonToken first = parser.nextToken();
                if (first == null) {
                    return JsonNodeFactory.instance.objectNode();
                }
                if (first != JsonToken.START_OBJECT) {
                    throw EntrepotException.badInput(kind + " error in " + file + ", line "
                            + parser.currentLocation().getLineNr() + ": the file must be a map of keys.", null);
                }
                return readNode(parser, "");
            } catch (JsonProcessingException e) {
                throw EntrepotException.badInput(kind + " error in " + file + ", line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ": this is not valid YAML ("
                        + e.getOriginalMessage() + ").", null);
            } catch (IOException e) {
                throw EntrepotException.badInput("Cannot read " + file + ": " + e.getMessage(), null);
            }
        }

        /** Anchored values ({@code &name}), for the aliases ({@code *name}) that repeat them. */
        private final Map<String, JsonNode> anchors = new HashMap<>();

        private JsonNode readNode(JsonParser parser, String path) throws IOException {
            if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                JsonNode anchored = anchors.get(parser.getText());
                if (anchored == null) {
                    throw EntrepotException.badInput(where(path) + "the alias *" + parser.getText()
                            + " names no anchor above it.", "Define &" + parser.getText() + " before using it.");
                }
                return anchored.deepCopy();
            }
            String anchor = parser.getObjectId() == null ? null : String.valueOf(parser.getObjectId());
            JsonNode node = readValue(parser, path);
            if (anchor != null) {
                anchors.put(anchor, node);
            }
            return node;
        }

        private JsonNode readValue(JsonParser parser, String path) throws IOException {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            switch (parser.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode object = nodes.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        String child = path.isEmpty() ? name : path + "." + name;
                        int line = parser.currentLocation().getLineNr();
                        if (object.has(name)) {
                            throw EntrepotException.badInput(kind + " error in " + file + ", line " + line + ": key '"
                                    + child + "' appears twice.", "Keep one of them.");
                        }
                        lines.put(child, line);
                        parser.nextToken();
                        object.set(name, readNode(parser, child));
                    }
                    return object;
                }
                case START_ARRAY -> {
                    ArrayNode array = nodes.arrayNode();
                    int index = 0;
                    int line = parser.currentLocation().getLineNr();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        String child = path + "[" + index++ + "]";
                        lines.put(child, line);
                        array.add(readNode(parser, child));
                        line = parser.currentLocation().getLineNr();
                    }
                    return array;
                }
                case VALUE_STRING -> {
                    return nodes.textNode(interpolate(parser.getText(), path));
                }
                case VALUE_NUMBER_INT -> {
                    return nodes.numberNode(parser.getBigIntegerValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    return nodes.numberNode(parser.getDecimalValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return nodes.booleanNode(parser.getBooleanValue());
                }
                default -> {
                    return nodes.nullNode();
                }
            }
        }

        private String interpolate(String value, String path) {
            Matcher matcher = VARIABLE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String replacement;
                if (matcher.group().equals("$$")) {
                    replacement = "$";
                } else {
                    String name = matcher.group(1);
                    String operator = matcher.group(2);
                    String fallback = matcher.group(3);
                    String fromEnvironment = environment.get(name);
                    boolean useDefault = operator != null
                            && (fromEnvironment == null || (operator.equals(":-") && fromEnvironment.isEmpty()));
                    if (useDefault) {
                        replacement = fallback;
                        origins.put(path, name + " (unset, default)");
                    } else if (fromEnvironment == null) {
                        throw EntrepotException.badInput(where(path) + path + " reads the environment variable " + name
                                        + ", which is not set.",
                                "Set " + name + ", or give a default in the file: ${" + name + ":-value}.");
                    } else {
                        replacement = fromEnvironment;
                        origins.put(path, name);
                    }
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(out);
            return out.toString();
        }

        <T> T bind(JsonNode tree, Class<T> type) {
            try {
                return mapper.treeToValue(tree, type);
            } catch (JsonMappingException e) {
                String key = keyOf(e.getPath());
                String origin = origins.get(key);
                String fromVariable = origin == null ? "" : " (from " + origin + ")";
                if (e instanceof UnrecognizedPropertyException unknown) {
                    throw EntrepotException.badInput(where(key) + "unknown key '" + key + "'.",
                            "Known keys" + (key.contains(".") ? " here" : "") + ": " + known(unknown.getKnownPropertyIds())
                                    + ".");
                }
                if (e instanceof InvalidFormatException invalid) {
                    throw EntrepotException.badInput(where(key) + key + " must be " + describe(invalid.getTargetType())
                            + ", not \"" + invalid.getValue() + "\"" + fromVariable + ".", null);
                }
                if (e instanceof ValueInstantiationException instantiation
                        && instantiation.getCause() instanceof InvalidSettingException invalid) {
                    String invalidKey = key.isEmpty() ? invalid.key() : key + "." + invalid.key();
                    String invalidOrigin = origins.get(invalidKey);
                    throw EntrepotException.badInput(where(invalidKey) + invalidKey + " "
                            + invalid.getMessage().substring(invalid.key().length() + 1)
                            + (invalidOrigin == null ? "" : " (from " + invalidOrigin + ")") + ".", invalid.hint());
                }
                if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                    throw EntrepotException.badInput(where(key) + key + " must be " + describe(mismatch.getTargetType())
                            + fromVariable + ".", null);
                }
                throw EntrepotException.badInput(where(key) + e.getOriginalMessage(), null);
            } catch (JsonProcessingException e) {
                throw EntrepotException.badInput(kind + " error in " + file + ": " + e.getOriginalMessage(), null);
            }
        }
    }

    private static String keyOf(List<JsonMappingException.Reference> path) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getIndex() >= 0) {
                key.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!key.isEmpty()) {
                    key.append('.');
                }
                key.append(reference.getFieldName());
            }
        }
        return key.toString();
    }

    private static String known(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return String.join(", ", names);
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map of keys";
        }
        if (type == String.class || type == Secret.class) {
            return "text";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT);
        }
        return "a map of keys (a section)";
    }
}
