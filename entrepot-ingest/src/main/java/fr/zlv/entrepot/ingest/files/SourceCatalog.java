package fr.zlv.entrepot.ingest.files;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.TableName;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The catalog of yearly and reference files ({@code warehouse/sources.yml}): read, expanded
 * ({@code for_each}: {@code {placeholder}} in the name, description, location, target, sheet and range) and
 * checked. Every problem names the file, the line and the source.
 */
public final class SourceCatalog {

    /** Schemas a file may land in. */
    public static final Set<String> TARGET_SCHEMAS = Set.of("lovac", "ff", "external");

    private final Path file;
    private final List<FileSource> sources;

    private SourceCatalog(Path file, List<FileSource> sources) {
        this.file = file;
        this.sources = List.copyOf(sources);
    }

    public static SourceCatalog load(Path file, Map<String, String> environment) {
        YamlDocument<CatalogDocument> document = YamlDocument.read(file, CatalogDocument.class, "Source catalog",
                environment, "Point files.catalog in the settings at it, or pass --catalog FILE.");
        List<FileSource> sources = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> targets = new HashMap<>();
        List<SourceEntry> entries = document.value().sources();
        for (int i = 0; i < entries.size(); i++) {
            String key = "sources[" + i + "]";
            for (SourceEntry entry : expand(entries.get(i), document, key)) {
                FileSource source = resolve(entry, document, key);
                String previous = names.put(source.name(), key);
                if (previous != null) {
                    throw document.error(key, "two sources are named '" + source.name() + "' (also "
                            + previous + document.lineOf(previous) + ").", "Names must be unique.");
                }
                String sameTarget = targets.put(source.target().toString(), source.name());
                if (sameTarget != null) {
                    throw document.error(key, "sources '" + sameTarget + "' and '" + source.name()
                            + "' both load " + source.target() + ".", "Each source needs its own table.");
                }
                sources.add(source);
            }
        }
        return new SourceCatalog(document.file(), sources);
    }

    /** One entry per combination of the {@code for_each} values. */
    private static List<SourceEntry> expand(SourceEntry entry, YamlDocument<?> document, String key) {
        if (entry.forEach() == null || entry.forEach().isEmpty()) {
            return List.of(entry);
        }
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> placeholder : entry.forEach().entrySet()) {
            if (placeholder.getValue() == null || placeholder.getValue().isEmpty()) {
                throw document.error(key + ".for_each." + placeholder.getKey(), "for_each." + placeholder.getKey()
                        + " has no values.", null);
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combination : combinations) {
                for (String value : placeholder.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(combination);
                    extended.put(placeholder.getKey(), value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        List<SourceEntry> expanded = new ArrayList<>();
        for (Map<String, String> values : combinations) {
            Integer year = entry.year();
            if (values.containsKey("year")) {
                try {
                    year = Integer.valueOf(values.get("year"));
                } catch (NumberFormatException e) {
                    throw document.error(key + ".for_each.year", "for_each.year must list years, not '"
                            + values.get("year") + "'.", null);
                }
            }
            ReadOptions read = entry.read() == null ? null : new ReadOptions(entry.read().delimiter(), entry.read().quote(),
                    entry.read().escape(), entry.read().header(), entry.read().skipRows(), entry.read().encoding(),
                    entry.read().decimalSeparator(), entry.read().dateFormat(), entry.read().timestampFormat(),
                    entry.read().nullString(), fill(entry.read().sheet(), values), fill(entry.read().range(), values));
            expanded.add(new SourceEntry(fill(entry.name(), values), entry.provider(), fill(entry.description(), values),
                    fill(entry.documentation(), values), fill(entry.location(), values), entry.format(), read,
                    entry.types(), fill(entry.target(), values), entry.expect(), entry.onError(), year, null));
        }
        return expanded;
    }

    private static String fill(String text, Map<String, String> values) {
        if (text == null) {
            return null;
        }
        String filled = text;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace("{" + value.getKey() + "}", value.getValue());
        }
        return filled;
    }

    private static FileSource resolve(SourceEntry entry, YamlDocument<?> document, String key) {
        String name = required(entry.name(), "name", document, key);
        String where = "source '" + name + "': ";
        if (!name.matches("[a-z0-9_]+")) {
            throw document.error(key + ".name", where + "a name is lower-case letters, digits and underscores.", null);
        }
        String provider = required(entry.provider(), "provider", document, key).toUpperCase(Locale.ROOT);
        Location location;
        try {
            location = Location.parse(required(entry.location(), "location", document, key));
        } catch (EntrepotException e) {
            throw document.error(key + ".location", where + e.getMessage(), e.hint());
        }
        if (location.kind() == Location.Kind.FILE && !location.path().isAbsolute()) {
            location = Location.parse(document.file().getParent().resolve(location.path()).normalize().toString());
        }
        FileSource.Format format = format(entry.format(), location, document, key, where);
        ReadOptions read = entry.read() == null ? ReadOptions.none() : entry.read();
        checkReadOptions(read, format, document, key, where);
        TableName target;
        try {
            target = TableName.parse(required(entry.target(), "target", document, key));
        } catch (IllegalArgumentException e) {
            throw document.error(key + ".target", where + "target must be schema.table, not '" + entry.target() + "'.",
                    null);
        }
        if (!TARGET_SCHEMAS.contains(target.schema())) {
            throw document.error(key + ".target", where + "target " + target + " is not in schema lovac, ff or external.",
                    null);
        }
        if (!target.name().matches("[a-z0-9_]+")) {
            throw document.error(key + ".target", where + "table names are lower-case letters, digits and underscores.",
                    null);
        }
        Map<String, String> types = entry.types() == null ? Map.of() : entry.types();
        for (Map.Entry<String, String> type : types.entrySet()) {
            if (type.getValue() == null || !type.getValue().matches("[A-Za-z][A-Za-z0-9_ (),]*(\\[\\])?")) {
                throw document.error(key + ".types." + type.getKey(), where + "'" + type.getValue()
                        + "' is not a DuckDB type.", "Write VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL(10,2), DATE...");
            }
        }
        FileSource.OnError onError;
        String errorMode = entry.onError() == null ? "reject" : entry.onError().toLowerCase(Locale.ROOT);
        switch (errorMode) {
            case "reject" -> onError = FileSource.OnError.REJECT;
            case "fail" -> onError = FileSource.OnError.FAIL;
            default -> throw document.error(key + ".on_error", where + "on_error must be reject or fail, not '"
                    + entry.onError() + "'.", null);
        }
        return new FileSource(name, provider, entry.description(), entry.documentation(), location, format, read, types,
                target, entry.expect() == null ? Expectations.none() : entry.expect(), onError, entry.year());
    }

    private static FileSource.Format format(String declared, Location location, YamlDocument<?> document, String key,
                                            String where) {
        String value = declared;
        if (value == null) {
            String file = location.fileName().toLowerCase(Locale.ROOT);
            value = file.endsWith(".xlsx") ? "xlsx" : file.endsWith(".parquet") ? "parquet"
                    : file.endsWith(".csv") || file.endsWith(".txt") || file.endsWith(".tsv") ? "csv" : null;
            if (value == null) {
                throw document.error(key + ".format", where + "cannot tell the format of " + location + ".",
                        "Add format: csv, xlsx or parquet.");
            }
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "csv" -> FileSource.Format.CSV;
            case "xlsx" -> FileSource.Format.XLSX;
            case "parquet" -> FileSource.Format.PARQUET;
            default -> throw document.error(key + ".format", where + "format must be csv, xlsx or parquet, not '" + value
                    + "'.", null);
        };
    }

    private static void checkReadOptions(ReadOptions read, FileSource.Format format, YamlDocument<?> document,
                                         String key, String where) {
        Predicate<Object> given = value -> value != null;
        if (format != FileSource.Format.XLSX && (given.test(read.sheet()) || given.test(read.range()))) {
            throw document.error(key + ".read", where + "sheet and range are for xlsx files.", null);
        }
        if (format != FileSource.Format.CSV && (given.test(read.delimiter()) || given.test(read.quote())
                || given.test(read.escape()) || given.test(read.encoding()) || given.test(read.decimalSeparator()))) {
            throw document.error(key + ".read", where + "delimiter, quote, escape, encoding and decimal_separator are"
                    + " for csv files.", null);
        }
        if (read.range() != null && !read.range().matches("[A-Z]+[0-9]+:[A-Z]+[0-9]*")) {
            throw document.error(key + ".read.range", where + "range must look like A5:L34880.", null);
        }
        String encoding = read.encodingOrDefault();
        if (!encoding.equals("utf-8") && !encoding.equals("latin-1") && !encoding.equals("utf-16")) {
            try {
                Charset.forName(encoding);
            } catch (RuntimeException e) {
                throw document.error(key + ".read.encoding", where + "unknown encoding '" + read.encoding() + "'.",
                        "Use utf-8, latin-1, windows-1252...");
            }
        }
        if (read.skipRows() != null && read.skipRows() < 0) {
            throw document.error(key + ".read.skip_rows", where + "skip_rows must not be negative.", null);
        }
    }

    private static String required(String value, String field, YamlDocument<?> document, String key) {
        if (value == null || value.isBlank()) {
            throw document.error(key, key + " has no " + field + ".", null);
        }
        return value;
    }

    public Path file() {
        return file;
    }

    public List<FileSource> sources() {
        return sources;
    }

    /** The sources chosen by name, provider and year; all when nothing is asked. */
    public List<FileSource> select(List<String> names, String provider, Integer year) {
        for (String name : names) {
            if (sources.stream().noneMatch(source -> source.name().equals(name))) {
                throw EntrepotException.badInput("No source named '" + name + "' in " + file + ".",
                        "`entrepot sources list` shows them.");
            }
        }
        List<FileSource> chosen = sources.stream()
                .filter(source -> names.isEmpty() || names.contains(source.name()))
                .filter(source -> provider == null || source.provider().equalsIgnoreCase(provider))
                .filter(source -> year == null || year.equals(source.year()))
                .toList();
        if (chosen.isEmpty()) {
            throw EntrepotException.badInput("No source of " + file + " matches"
                    + (provider == null ? "" : " provider " + provider) + (year == null ? "" : " year " + year) + ".",
                    "`entrepot sources list` shows them.");
        }
        return chosen;
    }
}
