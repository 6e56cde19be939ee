package fr.zlv.entrepot.dbt.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import fr.zlv.entrepot.dbt.DbtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads dbt's YAML files as plain maps and lists, with errors that name the file and the line. */
public final class Yaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Yaml() {
    }

    /** The file as a map; an empty file is an empty map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readMap(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return parseMap(text, file.toString());
        } catch (IOException e) {
            throw DbtException.project("Cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseMap(String text, String where) {
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Object value = YAML.readValue(text, Object.class);
            if (value == null) {
                return new LinkedHashMap<>();
            }
            if (!(value instanceof Map)) {
                throw DbtException.project(where + " must hold a map of keys.", null);
            }
            return (Map<String, Object>) value;
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
            throw DbtException.project("Invalid YAML in " + where + line + ": " + e.getOriginalMessage(), null, e);
        }
    }

    public static Object parse(String text) {
        try {
            return YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid YAML: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object value) {
        try {
            return YAML.writeValueAsString(value).replaceFirst("^---\\s*\\n", "");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ------------------------------------------------------------------ typed access to loose maps

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    public static List<Object> list(Object value) {
        if (value == null) {
            return new ArrayList<>();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        List<Object> single = new ArrayList<>();
        single.add(value);
        return single;
    }

    public static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(value)) {
            if (item != null) {
                strings.add(String.valueOf(item));
            }
        }
        return strings;
    }

    public static String string(Object value, String fallback) {
        return value == null ? fallback : String.valueOf(value);
    }
}
