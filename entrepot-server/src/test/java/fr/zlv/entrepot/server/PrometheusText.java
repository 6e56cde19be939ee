package fr.zlv.entrepot.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), as a scraper reads {@code /metrics}: every
 * line must be a comment, a {@code # HELP}/{@code # TYPE} line or a sample; every sample must belong to a family whose
 * TYPE came first; label names and values must be well-formed; values must be numbers; a histogram's buckets must
 * be cumulative and end with {@code le="+Inf"} equal to its {@code _count}. Anything else throws.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: the metric name as written, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.line(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage() + ": " + line, e);
            }
        }
        parsed.checkHistograms();
        return parsed;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            String[] parts = line.split(" ", 4);
            if (parts.length >= 3 && parts[1].equals("TYPE")) {
                require(NAME.matcher(parts[2]).matches(), "bad metric name in TYPE");
                require(parts.length == 4 && TYPES.contains(parts[3]), "unknown type");
                require(!types.containsKey(parts[2]), "second TYPE for " + parts[2]);
                types.put(parts[2], parts[3]);
            } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                require(NAME.matcher(parts[2]).matches(), "bad metric name in HELP");
            }
            return;
        }
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        require(space > 0, "a sample needs a value");
        String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
        require(NAME.matcher(name).matches(), "bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace >= 0 && brace < space) {
            int end = readLabels(line, brace + 1, labels);
            rest = line.substring(end + 1);
        } else {
            rest = line.substring(name.length());
        }
        require(rest.startsWith(" "), "a space must separate the value");
        String[] fields = rest.strip().split(" ");
        require(fields.length == 1 || fields.length == 2, "a value and an optional timestamp");
        double value = number(fields[0]);
        if (fields.length == 2) {
            Long.parseLong(fields[1]);
        }
        require(family(name) != null, "no TYPE line before sample " + name);
        samples.add(new Sample(name, labels, value));
    }

    /** Reads {@code name="value",…} up to the closing brace; returns the brace's index. */
    private static int readLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (true) {
            require(i < line.length(), "unterminated labels");
            if (line.charAt(i) == '}') {
                return i;
            }
            int equals = line.indexOf('=', i);
            require(equals > i, "a label needs a name and a value");
            String label = line.substring(i, equals);
            require(LABEL_NAME.matcher(label).matches(), "bad label name '" + label + "'");
            require(line.charAt(equals + 1) == '"', "a label value is quoted");
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (true) {
                require(j < line.length(), "unterminated label value");
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(j + 1);
                    require(next == '\\' || next == '"' || next == 'n', "bad escape in a label value");
                    value.append(next == 'n' ? '\n' : next);
                    j += 2;
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                    j++;
                }
            }
            require(labels.put(label, value.toString()) == null, "label " + label + " twice");
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            } else {
                require(line.charAt(i) == '}', "labels are separated by commas");
            }
        }
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The family a sample name belongs to: itself, or itself less a histogram's or counter's suffix. */
    String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created", "_max")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private void checkHistograms() {
        Map<String, List<Sample>> bucketsBySeries = new HashMap<>();
        Map<String, Double> counts = new HashMap<>();
        for (Sample sample : samples) {
            String family = family(sample.name());
            if (!"histogram".equals(types.get(family))) {
                continue;
            }
            Map<String, String> others = new LinkedHashMap<>(sample.labels());
            others.remove("le");
            String series = family + others;
            if (sample.name().endsWith("_bucket")) {
                require(sample.labels().containsKey("le"), "a bucket without le");
                bucketsBySeries.computeIfAbsent(series, key -> new ArrayList<>()).add(sample);
            } else if (sample.name().endsWith("_count")) {
                counts.put(series, sample.value());
            }
        }
        bucketsBySeries.forEach((series, buckets) -> {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample bucket : buckets) {
                double bound = number(bucket.labels().get("le"));
                require(bound > previousBound, "buckets of " + series + " out of order");
                require(bucket.value() >= previousCount, "buckets of " + series + " not cumulative");
                previousBound = bound;
                previousCount = bucket.value();
            }
            require(previousBound == Double.POSITIVE_INFINITY, "no +Inf bucket in " + series);
            require(counts.containsKey(series) && counts.get(series) == previousCount,
                    "the +Inf bucket of " + series + " differs from its count");
        });
    }

    /** The samples of this name whose labels include these. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
