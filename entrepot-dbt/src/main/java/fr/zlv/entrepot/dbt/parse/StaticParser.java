package fr.zlv.entrepot.dbt.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the refs, sources and config of a model without rendering it, when the model's only Jinja is
 * {@code {{ ref('x') }}}, {@code {{ source('a', 'b') }}} and {@code {{ config(key=literal, ...) }}} (most models
 * are like that). Anything else (a {@code {% %}} block, another call, a variable) returns null and the model
 * is rendered. dbt does the same to parse large projects fast.
 */
final class StaticParser {

    /** What the model's Jinja says. */
    record Found(List<List<String>> refs, List<List<String>> sources, Map<String, Object> config) {
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{-?\\s*(ref|source|config)\\s*\\((.*?)\\)\\s*-?}}",
            Pattern.DOTALL);

    private StaticParser() {
    }

    static Found parse(String sql) {
        if (sql.contains("{%") || sql.contains("{#")) {
            return null;
        }
        List<List<String>> refs = new ArrayList<>();
        List<List<String>> sources = new ArrayList<>();
        Map<String, Object> config = new LinkedHashMap<>();
        Matcher matcher = EXPRESSION.matcher(sql);
        int expressions = 0;
        while (matcher.find()) {
            expressions++;
            Arguments arguments = Arguments.parse(matcher.group(2));
            if (arguments == null) {
                return null;
            }
            switch (matcher.group(1)) {
                case "ref" -> {
                    if (arguments.positional().isEmpty() || arguments.positional().size() > 2
                            || !arguments.keyword().keySet().stream().allMatch(key -> key.equals("version") || key.equals("v"))) {
                        return null;
                    }
                    refs.add(strings(arguments.positional()));
                }
                case "source" -> {
                    if (arguments.positional().size() != 2 || !arguments.keyword().isEmpty()) {
                        return null;
                    }
                    sources.add(strings(arguments.positional()));
                }
                default -> {
                    if (!arguments.positional().isEmpty()) {
                        return null;
                    }
                    config.putAll(arguments.keyword());
                }
            }
        }
        int opened = count(sql, "{{");
        return opened == expressions ? new Found(refs, sources, config) : null;
    }

    private static List<String> strings(List<Object> values) {
        List<String> strings = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String text)) {
                return null;
            }
            strings.add(text);
        }
        return strings;
    }

    private static int count(String text, String token) {
        int count = 0;
        for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length())) {
            count++;
        }
        return count;
    }

    /** Literal call arguments: strings, numbers, booleans, None, lists and dicts of them, name=value pairs. */
    record Arguments(List<Object> positional, Map<String, Object> keyword) {

        static Arguments parse(String text) {
            LiteralReader reader = new LiteralReader(text);
            List<Object> positional = new ArrayList<>();
            Map<String, Object> keyword = new LinkedHashMap<>();
            try {
                reader.skipSpaces();
                while (!reader.atEnd()) {
                    String name = reader.keywordName();
                    Object value = reader.value();
                    if (name == null) {
                        if (!keyword.isEmpty()) {
                            return null;
                        }
                        positional.add(value);
                    } else {
                        keyword.put(name, value);
                    }
                    reader.skipSpaces();
                    if (!reader.atEnd()) {
                        reader.expect(',');
                        reader.skipSpaces();
                    }
                }
                return new Arguments(positional, keyword);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A reader of Python literals. */
    private static final class LiteralReader {
        private final String text;
        private int at;

        LiteralReader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        void expect(char c) {
            if (at >= text.length() || text.charAt(at) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            at++;
        }

        /** name= ahead? Returns the name and moves past '=', else stays and returns null. */
        String keywordName() {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            int end = at;
            skipSpaces();
            if (end > start && at < text.length() && text.charAt(at) == '=' && (at + 1 >= text.length()
                    || text.charAt(at + 1) != '=')) {
                at++;
                skipSpaces();
                return text.substring(start, end);
            }
            at = start;
            return null;
        }

        Object value() {
            skipSpaces();
            if (atEnd()) {
                throw new IllegalArgumentException("value expected");
            }
            char c = text.charAt(at);
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '[') {
                at++;
                List<Object> list = new ArrayList<>();
                skipSpaces();
                while (!atEnd() && text.charAt(at) != ']') {
                    list.add(value());
                    skipSpaces();
                    if (!atEnd() && text.charAt(at) == ',') {
                        at++;
                        skipSpaces();
                    }
                }
                expect(']');
                return list;
            }
            if (c == '{') {
                at++;
                Map<String, Object> map = new LinkedHashMap<>();
                skipSpaces();
                while (!atEnd() && text.charAt(at) != '}') {
                    Object key = value();
                    skipSpaces();
                    expect(':');
                    map.put(String.valueOf(key), value());
                    skipSpaces();
                    if (!atEnd() && text.charAt(at) == ',') {
                        at++;
                        skipSpaces();
                    }
                }
                expect('}');
                return map;
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "._-+".indexOf(text.charAt(at)) >= 0)) {
                at++;
            }
            String word = text.substring(start, at);
            switch (word) {
                case "True", "true" -> {
                    return Boolean.TRUE;
                }
                case "False", "false" -> {
                    return Boolean.FALSE;
                }
                case "None", "none" -> {
                    return null;
                }
                default -> {
                    if (word.matches("-?\\d+")) {
                        return Long.valueOf(word);
                    }
                    if (word.matches("-?\\d*\\.\\d+")) {
                        return Double.valueOf(word);
                    }
                    throw new IllegalArgumentException("not a literal: " + word);
                }
            }
        }

        private String string(char quote) {
            at++;
            StringBuilder out = new StringBuilder();
            while (at < text.length() && text.charAt(at) != quote) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    c = text.charAt(at++);
                }
                out.append(c);
            }
            expect(quote);
            return out.toString();
        }
    }
}
