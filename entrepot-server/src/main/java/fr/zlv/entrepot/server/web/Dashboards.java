package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.server.web.DashboardFile.ChartSpec;
import fr.zlv.entrepot.server.web.DashboardFile.DimensionSpec;
import fr.zlv.entrepot.server.web.DashboardFile.FixedFilter;
import fr.zlv.entrepot.server.web.DashboardFile.OrderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboards of a directory ({@code warehouse/dashboards/*.yml}), read and checked once at start: every problem
 * is an error naming the file, the line and the key. The pages get them as JSON and query the GraphQL API for each
 * chart with the user's token.
 */
final class Dashboards {

    static final Set<String> CHART_TYPES = Set.of("kpi", "bar", "ranking", "line", "pie", "table");
    static final Set<String> FILTERS = Set.of("territory", "year", "establishment");
    static final Set<String> GRAINS = Set.of("day", "week", "month", "quarter", "year");
    static final Set<String> LEVELS = Set.of("region", "departement", "epci", "commune");
    static final Set<String> OPERATORS = Set.of("equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte",
            "between", "contains", "is_null", "is_not_null");
    static final Set<String> FORMATS = Set.of("number", "percent");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Checks the names of cubes, measures and dimensions against the semantic layer, when one is given. */
    interface Names {
        Names ANY = (cube, kind, name) -> null;

        /**
         * @param kind {@code cube}, {@code measure}, {@code dimension} or {@code segment}
         * @return null when the name exists, else what is wrong and a hint
         */
        Problem problem(String cube, String kind, String name);
    }

    /** A name the semantic layer does not know, and what to write instead. */
    record Problem(String message, String hint) {
    }

    /** The names of a validated semantic model. */
    static Names of(Model model) {
        return (cubeName, kind, name) -> {
            Optional<Model.Cube> found = model.cube(cubeName);
            if (found.isEmpty()) {
                return unknown("cube", cubeName, model.cubes().keySet());
            }
            Model.Cube cube = found.get();
            return switch (kind) {
                case "measure" -> cube.measures().containsKey(name) ? null
                        : unknown("measure of cube " + cubeName, name, cube.measures().keySet());
                case "dimension" -> model.dimensionRef(cube, name).isPresent() ? null
                        : unknown("dimension of cube " + cubeName, name,
                        model.dimensionRefs(cube).stream().map(Model.DimensionRef::name).toList());
                case "segment" -> cube.segments().containsKey(name) ? null
                        : unknown("segment of cube " + cubeName, name, cube.segments().keySet());
                default -> null;
            };
        };
    }

    private static Problem unknown(String what, String name, Collection<String> names) {
        return new Problem("the semantic layer has no " + what + " named '" + name + "'",
                EditDistance.closest(name, names).map(close -> "Did you mean '" + close + "'? ").orElse("")
                        + "See warehouse/semantic.yml.");
    }

    /** A checked dashboard: its id (the file's name) and its definition, as the pages get it. */
    record Dashboard(String id, int order, Map<String, Object> json) {
    }

    private final Map<String, Dashboard> dashboards;

    private Dashboards(Map<String, Dashboard> dashboards) {
        this.dashboards = dashboards;
    }

    static Dashboards none() {
        return new Dashboards(Map.of());
    }

    /** Reads every {@code *.yml} of the directory (none when it does not exist). */
    static Dashboards load(Path directory, Names names) {
        if (directory == null || !Files.isDirectory(directory)) {
            return none();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw EntrepotException.badInput("Cannot read the dashboards directory " + directory + ": "
                    + e.getMessage(), null);
        }
        List<Dashboard> loaded = new ArrayList<>();
        for (Path file : files) {
            loaded.add(read(file, names));
        }
        loaded.sort(Comparator.comparingInt(Dashboard::order).thenComparing(Dashboard::id));
        Map<String, Dashboard> byId = new LinkedHashMap<>();
        loaded.forEach(d -> byId.put(d.id(), d));
        return new Dashboards(byId);
    }

    List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Dashboard dashboard : dashboards.values()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", dashboard.id());
            json.put("title", dashboard.json().get("title"));
            json.put("description", dashboard.json().get("description"));
            json.put("charts", ((List<?>) dashboard.json().get("charts")).size());
            list.add(json);
        }
        return list;
    }

    Map<String, Object> get(String id) throws WebError {
        Dashboard dashboard = dashboards.get(id);
        if (dashboard == null) {
            throw WebError.notFound("No dashboard is named '" + id + "'.");
        }
        return dashboard.json();
    }

    private static Dashboard read(Path file, Names names) {
        String fileName = file.getFileName().toString();
        String id = fileName.substring(0, fileName.length() - ".yml".length());
        YamlDocument<DashboardFile> document = YamlDocument.read(file, DashboardFile.class, "Dashboard",
                System.getenv(), "Write the dashboard, or remove it.");
        DashboardFile value = document.value();
        if (!ID.matcher(id).matches()) {
            throw EntrepotException.badInput("Dashboard error in " + document.file() + ": the file name '" + id
                    + "' is not a dashboard id.", "Name it with lower-case letters, digits and '_' (housing_overview.yml).");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", label(document, "title", value.title(), true));
        json.put("description", label(document, "description", value.description(), false));
        Map<String, Object> filters = new LinkedHashMap<>();
        if (value.filters() != null) {
            for (Map.Entry<String, DashboardFile.FilterSpec> entry : value.filters().entrySet()) {
                String key = "filters." + entry.getKey();
                if (!FILTERS.contains(entry.getKey())) {
                    throw fail(document, key, "'" + entry.getKey() + "' is not a filter of the pages",
                            "The pages offer: " + String.join(", ", new java.util.TreeSet<>(FILTERS)) + ".");
                }
                if (entry.getValue() == null || blank(entry.getValue().dimension())) {
                    throw fail(document, key, "the filter names no dimension",
                            "Write {dimension: <a dimension of the charts' cubes>}.");
                }
                filters.put(entry.getKey(), Map.of("dimension", entry.getValue().dimension()));
            }
        }
        json.put("filters", filters);
        if (value.charts() == null || value.charts().isEmpty()) {
            throw fail(document, "charts", "the dashboard has no charts", "Add at least one chart under charts:.");
        }
        List<Map<String, Object>> charts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < value.charts().size(); i++) {
            charts.add(chart(document, "charts[" + i + "]", value.charts().get(i), filters, ids, names));
        }
        json.put("charts", charts);
        return new Dashboard(id, value.order() == null ? 100 : value.order(), json);
    }

    private static Map<String, Object> chart(YamlDocument<DashboardFile> document, String key, ChartSpec chart,
                                             Map<String, Object> filters, Set<String> ids, Names names) {
        if (chart == null) {
            throw fail(document, key, "the chart is empty", null);
        }
        if (blank(chart.id()) || !ID.matcher(chart.id()).matches()) {
            throw fail(document, key + ".id", "a chart needs an id of lower-case letters, digits and '_'", null);
        }
        if (!ids.add(chart.id())) {
            throw fail(document, key + ".id", "two charts are named '" + chart.id() + "'", "Give each its own id.");
        }
        String type = chart.type() == null ? "bar" : chart.type().toLowerCase(Locale.ROOT);
        if (!CHART_TYPES.contains(type)) {
            throw fail(document, key + ".type", "'" + chart.type() + "' is not a chart type",
                    "Use one of: " + String.join(", ", new java.util.TreeSet<>(CHART_TYPES)) + ".");
        }
        String cube = name(document, key + ".cube", chart.cube(), "cube");
        check(document, key + ".cube", names.problem(cube, "cube", cube));
        List<String> measures = chart.measures() == null ? List.of() : chart.measures();
        if (measures.isEmpty()) {
            throw fail(document, key + ".measures", "the chart has no measure", "Name one of the cube's measures.");
        }
        for (int i = 0; i < measures.size(); i++) {
            String measure = name(document, key + ".measures[" + i + "]", measures.get(i), "measure");
            check(document, key + ".measures[" + i + "]", names.problem(cube, "measure", measure));
        }
        List<Map<String, Object>> dimensions = new ArrayList<>();
        List<DimensionSpec> given = chart.dimensions() == null ? List.of() : chart.dimensions();
        for (int i = 0; i < given.size(); i++) {
            String dimensionKey = key + ".dimensions[" + i + "]";
            DimensionSpec dimension = given.get(i);
            if (dimension == null) {
                throw fail(document, dimensionKey, "the dimension is empty", "Write {dimension: NAME}.");
            }
            String name = name(document, dimensionKey + ".dimension", dimension.dimension(), "dimension");
            check(document, dimensionKey + ".dimension", names.problem(cube, "dimension", name));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("dimension", name);
            d.put("grain", oneOf(document, dimensionKey + ".grain", dimension.grain(), GRAINS));
            d.put("level", oneOf(document, dimensionKey + ".level", dimension.level(), LEVELS));
            dimensions.add(d);
        }
        if ((type.equals("bar") || type.equals("ranking") || type.equals("line") || type.equals("pie"))
                && dimensions.isEmpty()) {
            throw fail(document, key + ".dimensions", "a " + type + " chart needs a dimension to draw along",
                    "Add dimensions: [{dimension: NAME}], or make it a kpi.");
        }
        boolean drill = Boolean.TRUE.equals(chart.drill());
        if (drill && (dimensions.isEmpty() || dimensions.get(0).get("level") == null)) {
            throw fail(document, key + ".drill", "only a chart by a geographic dimension with a level can drill down",
                    "Give its first dimension a level (region, departement, epci), or remove drill.");
        }
        List<Map<String, Object>> fixed = new ArrayList<>();
        List<FixedFilter> givenFilters = chart.filters() == null ? List.of() : chart.filters();
        for (int i = 0; i < givenFilters.size(); i++) {
            String filterKey = key + ".filters[" + i + "]";
            FixedFilter filter = givenFilters.get(i);
            if (filter == null) {
                throw fail(document, filterKey, "the filter is empty", null);
            }
            String name = name(document, filterKey + ".dimension", filter.dimension(), "dimension");
            check(document, filterKey + ".dimension", names.problem(cube, "dimension", name));
            String operator = oneOf(document, filterKey + ".operator", filter.operator() == null ? "equals"
                    : filter.operator(), OPERATORS);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("dimension", name);
            f.put("level", oneOf(document, filterKey + ".level", filter.level(), LEVELS));
            f.put("operator", operator);
            f.put("value", filter.value());
            f.put("values", filter.values());
            fixed.add(f);
        }
        List<String> segments = chart.segments() == null ? List.of() : chart.segments();
        for (int i = 0; i < segments.size(); i++) {
            String segment = name(document, key + ".segments[" + i + "]", segments.get(i), "segment");
            check(document, key + ".segments[" + i + "]", names.problem(cube, "segment", segment));
        }
        List<Map<String, Object>> order = new ArrayList<>();
        List<OrderSpec> givenOrder = chart.orderBy() == null ? List.of() : chart.orderBy();
        Set<String> fields = new HashSet<>(measures);
        dimensions.forEach(d -> fields.add((String) d.get("dimension")));
        for (int i = 0; i < givenOrder.size(); i++) {
            String orderKey = key + ".order_by[" + i + "]";
            OrderSpec o = givenOrder.get(i);
            if (o == null || !fields.contains(o.field())) {
                throw fail(document, orderKey + ".field", "a chart orders by one of its measures or dimensions",
                        "Use one of: " + String.join(", ", new java.util.TreeSet<>(fields)) + ".");
            }
            order.add(Map.of("field", o.field(), "direction", oneOf(document, orderKey + ".direction",
                    o.direction() == null ? "asc" : o.direction(), Set.of("asc", "desc"))));
        }
        if (chart.limit() != null && (chart.limit() < 1 || chart.limit() > 1000)) {
            throw fail(document, key + ".limit", "the limit must be between 1 and 1000", null);
        }
        Map<String, Object> filterDimensions = new LinkedHashMap<>();
        for (String filter : filters.keySet()) {
            Object dimension = ((Map<?, ?>) filters.get(filter)).get("dimension");
            if (chart.filterDimensions() != null && chart.filterDimensions().containsKey(filter)) {
                dimension = chart.filterDimensions().get(filter);
            }
            if (dimension != null) {
                check(document, key + ".filter_dimensions." + filter, names.problem(cube, "dimension",
                        (String) dimension));
            }
            filterDimensions.put(filter, dimension);
        }
        if (chart.filterDimensions() != null) {
            for (String filter : chart.filterDimensions().keySet()) {
                if (!filters.containsKey(filter)) {
                    throw fail(document, key + ".filter_dimensions." + filter, "the dashboard has no filter '" + filter
                            + "'", "Declare it under filters: at the top of the file, or remove it here.");
                }
            }
        }
        Map<String, Object> formats = new LinkedHashMap<>();
        if (chart.formats() != null) {
            for (Map.Entry<String, String> entry : chart.formats().entrySet()) {
                if (!measures.contains(entry.getKey())) {
                    throw fail(document, key + ".formats." + entry.getKey(), "'" + entry.getKey()
                            + "' is not a measure of the chart", null);
                }
                formats.put(entry.getKey(), oneOf(document, key + ".formats." + entry.getKey(), entry.getValue(),
                        FORMATS));
            }
        }
        Map<String, Object> valueLabels = new LinkedHashMap<>();
        if (chart.valueLabels() != null) {
            for (Map.Entry<String, Map<String, Map<String, String>>> entry : chart.valueLabels().entrySet()) {
                String labelsKey = key + ".value_labels." + entry.getKey();
                if (dimensions.stream().noneMatch(d -> entry.getKey().equals(d.get("dimension")))) {
                    throw fail(document, labelsKey, "'" + entry.getKey() + "' is not a dimension of the chart", null);
                }
                Map<String, Object> labels = new LinkedHashMap<>();
                if (entry.getValue() != null) {
                    entry.getValue().forEach((value, text) -> labels.put(value,
                            label(document, labelsKey + "." + value, text, true)));
                }
                valueLabels.put(entry.getKey(), labels);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", chart.id());
        json.put("title", label(document, key + ".title", chart.title(), true));
        json.put("description", label(document, key + ".description", chart.description(), false));
        json.put("type", type);
        json.put("cube", cube);
        json.put("measures", measures);
        json.put("dimensions", dimensions);
        json.put("filters", fixed);
        json.put("segments", segments);
        json.put("order_by", order);
        json.put("limit", chart.limit());
        json.put("filter_dimensions", filterDimensions);
        json.put("drill", drill);
        json.put("wide", Boolean.TRUE.equals(chart.wide()));
        json.put("formats", formats);
        json.put("value_labels", valueLabels);
        return json;
    }

    /** A text in both languages. */
    private static Map<String, String> label(YamlDocument<DashboardFile> document, String key,
                                             Map<String, String> text, boolean required) {
        if (text == null) {
            if (required) {
                throw fail(document, key, "the " + key.substring(key.lastIndexOf('.') + 1) + " is missing",
                        "Write it in both languages: {fr: ..., en: ...}.");
            }
            return null;
        }
        for (String language : List.of("fr", "en")) {
            if (blank(text.get(language))) {
                throw fail(document, key, "the text in '" + language + "' is missing",
                        "Write it in both languages: {fr: ..., en: ...}.");
            }
        }
        if (text.size() > 2) {
            throw fail(document, key, "only fr and en are offered", "Keep the keys fr and en.");
        }
        return Map.of("fr", text.get("fr"), "en", text.get("en"));
    }

    private static String name(YamlDocument<DashboardFile> document, String key, String value, String what) {
        if (blank(value) || !NAME.matcher(value).matches()) {
            throw fail(document, key, "'" + (value == null ? "" : value) + "' is not a " + what + " name",
                    "Use the name of the " + what + " in warehouse/semantic.yml.");
        }
        return value;
    }

    private static String oneOf(YamlDocument<DashboardFile> document, String key, String value, Set<String> allowed) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw fail(document, key, "'" + value + "' is not allowed here",
                    "Use one of: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
        }
        return lower;
    }

    private static void check(YamlDocument<DashboardFile> document, String key, Problem problem) {
        if (problem != null) {
            throw fail(document, key, problem.message(), problem.hint());
        }
    }

    /** An error naming the file, the line and the key. */
    private static EntrepotException fail(YamlDocument<DashboardFile> document, String key, String problem,
                                          String hint) {
        return document.error(key, key + ": " + problem, hint);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
