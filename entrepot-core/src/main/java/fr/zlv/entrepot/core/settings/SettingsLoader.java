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
 * Reads {@code entrepot.yml}.
 *
 * <p>Steps, in order: parse the YAML, remembering the line of every key; replace {@code ${VAR}},
 * {@code ${VAR:-default}} (default when unset or empty) and {@code ${VAR-default}} (default when unset)
 * in string values from the environment; bind to {@link Settings}, refusing unknown keys and values of the
 * wrong type; resolve relative paths against the file's directory. Every problem becomes one
 * {@link EntrepotException} naming the file, the line and the key.
 */
public final class SettingsLoader {

    /** Where the settings are looked for when no {@code --config} is given. */
    public static final Path DEFAULT_FILE = Path.of("warehouse", "entrepot.yml");

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    private final Map<String, String> environment;
    private final ObjectMapper mapper;

    public SettingsLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** A loader reading the process environment. */
    public static SettingsLoader fromSystemEnvironment() {
        return new SettingsLoader(System.getenv());
    }

    public LoadedSettings load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String text = readFile(absolute);
        Parsed parsed = parse(absolute, text);
        Settings settings = bind(absolute, parsed);
        return new LoadedSettings(absolute, resolvePaths(settings, absolute.getParent()), parsed.origins);
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw EntrepotException.badInput("No settings file at " + file + ".",
                    "Run from the repository root (the default is " + DEFAULT_FILE + "), or pass --config FILE.");
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the settings file " + file + ": " + e.getMessage(), null);
        }
    }

    /** The YAML tree after interpolation, the line of each key, and where values came from. */
    private record Parsed(JsonNode tree, Map<String, Integer> lines, Map<String, String> origins) {
    }

    private Parsed parse(Path file, String text) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> origins = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Parsed(JsonNodeFactory.instance.objectNode(), lines, origins);
            }
            if (first != JsonToken.START_OBJECT) {
                throw EntrepotException.badInput("Settings error in " + file + ", line "
                        + parser.currentLocation().getLineNr() + ": the file must be a map of sections"
                        + " (warehouse:, production:, demo:).", null);
            }
            JsonNode tree = readNode(parser, "", file, lines, origins);
            return new Parsed(tree, lines, origins);
        } catch (JsonProcessingException e) {
            throw EntrepotException.badInput("Settings error in " + file + ", line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": this is not valid YAML (" + e.getOriginalMessage() + ").", null);
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the settings file " + file + ": " + e.getMessage(), null);
        }
    }

    private JsonNode readNode(JsonParser parser, String path, Path file, Map<String, Integer> lines,
                              Map<String, String> origins) throws IOException {
        JsonToken token = parser.currentToken();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    int line = parser.currentLocation().getLineNr();
                    if (object.has(name)) {
                        throw EntrepotException.badInput("Settings error in " + file + ", line " + line
                                + ": key '" + child + "' appears twice.", "Keep one of them.");
                    }
                    lines.put(child, line);
                    parser.nextToken();
                    object.set(name, readNode(parser, child, file, lines, origins));
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
                    array.add(readNode(parser, child, file, lines, origins));
                    line = parser.currentLocation().getLineNr();
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(interpolate(parser.getText(), path, file, lines.get(path), origins));
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

    private String interpolate(String value, String path, Path file, Integer line, Map<String, String> origins) {
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
                    throw EntrepotException.badInput("Settings error in " + file + ", line " + line + ": "
                                    + path + " reads the environment variable " + name + ", which is not set.",
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

    private Settings bind(Path file, Parsed parsed) {
        try {
            return mapper.treeToValue(parsed.tree, Settings.class);
        } catch (JsonMappingException e) {
            String key = keyOf(e.getPath());
            String where = "Settings error in " + file + lineOf(parsed.lines, key) + ": ";
            String origin = parsed.origins.get(key);
            String fromVariable = origin == null ? "" : " (from " + origin + ")";
            if (e instanceof UnrecognizedPropertyException unknown) {
                throw EntrepotException.badInput(where + "unknown key '" + key + "'.",
                        "Known keys" + (key.contains(".") ? " here" : "") + ": " + known(unknown.getKnownPropertyIds())
                                + ".");
            }
            if (e instanceof InvalidFormatException invalid) {
                throw EntrepotException.badInput(where + key + " must be " + describe(invalid.getTargetType())
                        + ", not \"" + invalid.getValue() + "\"" + fromVariable + ".", null);
            }
            if (e instanceof ValueInstantiationException instantiation
                    && instantiation.getCause() instanceof InvalidSettingException invalid) {
                String invalidKey = key.isEmpty() ? invalid.key() : key + "." + invalid.key();
                String invalidOrigin = parsed.origins.get(invalidKey);
                throw EntrepotException.badInput("Settings error in " + file + lineOf(parsed.lines, invalidKey)
                        + ": " + invalidKey + " " + invalid.getMessage().substring(invalid.key().length() + 1)
                        + (invalidOrigin == null ? "" : " (from " + invalidOrigin + ")") + ".", null);
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                throw EntrepotException.badInput(where + key + " must be " + describe(mismatch.getTargetType())
                        + fromVariable + ".", null);
            }
            throw EntrepotException.badInput(where + e.getOriginalMessage(), null);
        } catch (JsonProcessingException e) {
            throw EntrepotException.badInput("Settings error in " + file + ": " + e.getOriginalMessage(), null);
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
        if (type == String.class || type == Secret.class) {
            return "text";
        }
        return "a map of keys (a section)";
    }

    private static Settings resolvePaths(Settings settings, Path base) {
        WarehouseSettings warehouse = settings.warehouse();
        String path = base.resolve(warehouse.path()).normalize().toString();
        String temp = warehouse.tempDirectory() == null ? null
                : base.resolve(warehouse.tempDirectory()).normalize().toString();
        DemoSettings demo = settings.demo();
        DemoSettings resolvedDemo = new DemoSettings(demo.postgresUrl(),
                base.resolve(demo.workspace()).normalize().toString());
        return new Settings(new WarehouseSettings(path, warehouse.memoryLimitGb(), warehouse.threads(), temp),
                settings.production(), resolvedDemo);
    }
}
