package fr.zlv.entrepot.semantic.model;

import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.semantic.model.Classification.ColumnClass;
import fr.zlv.entrepot.semantic.model.Classification.MartColumns;
import fr.zlv.entrepot.semantic.model.Model.Condition;
import fr.zlv.entrepot.semantic.model.Model.Cube;
import fr.zlv.entrepot.semantic.model.Model.Dimension;
import fr.zlv.entrepot.semantic.model.Model.DimensionKind;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.model.Model.Grain;
import fr.zlv.entrepot.semantic.model.Model.Join;
import fr.zlv.entrepot.semantic.model.Model.Level;
import fr.zlv.entrepot.semantic.model.Model.Measure;
import fr.zlv.entrepot.semantic.model.Model.MeasureKind;
import fr.zlv.entrepot.semantic.model.Model.Operator;
import fr.zlv.entrepot.semantic.model.Model.Segment;
import fr.zlv.entrepot.semantic.model.SemanticFile.CubeSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.DimensionSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.FilterSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.GeographySpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.JoinSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.LevelSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.MeasureSpec;
import fr.zlv.entrepot.semantic.model.SemanticFile.SegmentSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code semantic.yml} against the tables it describes and builds the {@link Model}: names, tables,
 * columns and their types, measure and dimension kinds, grains, geographic levels, joins, segments, and the rule
 * that no dimension exposes a column the dbt project classifies as personal data. Every problem names the file,
 * the line and the key; all of them are reported at once.
 */
public final class ModelBuilder {

    /** Names of cubes, measures, dimensions, joins and segments: they become GraphQL names. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    private final YamlDocument<SemanticFile> document;
    private final Catalog catalog;
    private final Classification classification;
    private final Problems problems;

    /**
     * @param classification the dbt project's personal-data classification of the published tables; null to skip
     *                       the personal-data rule (no dbt project given)
     */
    private ModelBuilder(YamlDocument<SemanticFile> document, Catalog catalog, Classification classification) {
        this.document = document;
        this.catalog = catalog;
        this.classification = classification;
        this.problems = new Problems(document, "Semantic model");
    }

    /** Reads semantic.yml (syntax and keys only: see {@link #build}). */
    public static YamlDocument<SemanticFile> read(Path file) {
        return YamlDocument.read(file, SemanticFile.class, "Semantic model", System.getenv(),
                "Write the semantic model (README, \"Semantic layer\"), or give its path.");
    }

    /** Checks the model against {@code catalog} and builds it; throws one exception listing every problem. */
    public static Model build(YamlDocument<SemanticFile> document, Catalog catalog, Classification classification) {
        return new ModelBuilder(document, catalog, classification).build();
    }

    private Model build() {
        SemanticFile file = document.value();
        if (file.version() != null && file.version() != 1) {
            problems.add("version", "version " + file.version() + " is not supported", "write version: 1");
        }
        Map<String, CubeSpec> specs = file.cubes() == null ? Map.of() : file.cubes();
        if (specs.isEmpty()) {
            problems.add("cubes", "the model has no cube", "declare at least one cube under cubes:");
        }
        // Pass 1: each cube on its own (joins need every cube's table, checked in pass 2).
        Map<String, Cube> cubes = new LinkedHashMap<>();
        Set<String> typeNames = new HashSet<>();
        for (Map.Entry<String, CubeSpec> entry : specs.entrySet()) {
            String key = "cubes." + entry.getKey();
            if (!checkName(key, entry.getKey(), "cube")) {
                continue;
            }
            if (!typeNames.add(entry.getKey().replace("_", ""))) {
                problems.add(key, "cube name '" + entry.getKey() + "' gives the same GraphQL type names as another"
                        + " cube", "rename one of them");
            }
            if (entry.getValue() == null) {
                problems.add(key, "the cube is empty", "give it a table, measures and dimensions");
                continue;
            }
            Cube cube = cube(key, entry.getKey(), entry.getValue(), specs);
            if (cube != null) {
                cubes.put(cube.name(), cube);
            }
        }
        problems.throwIfAny("Fix " + document.file() + " (README, \"Semantic layer\", describes every key).");
        return new Model(document.file(), cubes);
    }

    private Cube cube(String key, String name, CubeSpec spec, Map<String, CubeSpec> allCubes) {
        String table = spec.table();
        if (blank(table)) {
            problems.add(key + ".table", "the cube has no table", "name the published table it reads (publish.yml)");
            return null;
        }
        if (!catalog.hasTable(table)) {
            problems.add(key + ".table", "no table '" + table + "' in " + catalog.source(),
                    suggestion(table, catalog.tables().keySet()) + "tables: " + String.join(", ",
                            catalog.tables().keySet().stream().sorted().toList()));
            return null;
        }
        requireDescription(key, spec.description());
        boolean national = Boolean.TRUE.equals(spec.national());
        Map<GeoLevel, String> geography = new EnumMap<>(GeoLevel.class);
        Map<String, DataType> geographyTypes = new LinkedHashMap<>();
        if (spec.geography() != null) {
            if (national) {
                problems.add(key + ".national", "a national cube has no geography", "remove one of the two keys");
            }
            geography(key + ".geography", table, spec.geography(), geography, geographyTypes);
        }

        Map<String, Measure> measures = new LinkedHashMap<>();
        Map<String, MeasureSpec> measureSpecs = spec.measures() == null ? Map.of() : spec.measures();
        if (measureSpecs.isEmpty()) {
            problems.add(key + ".measures", "the cube has no measure", "add at least one, e.g. count: {type: count}");
        }
        for (Map.Entry<String, MeasureSpec> entry : measureSpecs.entrySet()) {
            String measureKey = key + ".measures." + entry.getKey();
            if (checkName(measureKey, entry.getKey(), "measure")) {
                Measure measure = measure(measureKey, entry.getKey(), entry.getValue(), table, measureSpecs);
                if (measure != null) {
                    measures.put(measure.name(), measure);
                }
            }
        }

        Map<String, Dimension> dimensions = new LinkedHashMap<>();
        Map<String, DimensionSpec> dimensionSpecs = spec.dimensions() == null ? Map.of() : spec.dimensions();
        for (Map.Entry<String, DimensionSpec> entry : dimensionSpecs.entrySet()) {
            String dimensionKey = key + ".dimensions." + entry.getKey();
            if (!checkName(dimensionKey, entry.getKey(), "dimension")) {
                continue;
            }
            if (measureSpecs.containsKey(entry.getKey())) {
                problems.add(dimensionKey, "duplicate name: '" + entry.getKey() + "' is already a measure of cube "
                        + name, "measures and dimensions share the rows' field names: rename one");
                continue;
            }
            Dimension dimension = dimension(dimensionKey, entry.getKey(), entry.getValue(), table);
            if (dimension != null) {
                dimensions.put(dimension.name(), dimension);
            }
        }

        Map<String, Join> joins = new LinkedHashMap<>();
        Map<String, JoinSpec> joinSpecs = spec.joins() == null ? Map.of() : spec.joins();
        for (Map.Entry<String, JoinSpec> entry : joinSpecs.entrySet()) {
            String joinKey = key + ".joins." + entry.getKey();
            if (checkName(joinKey, entry.getKey(), "join")) {
                Join join = join(joinKey, entry.getKey(), entry.getValue(), table, allCubes);
                if (join != null) {
                    joins.put(join.name(), join);
                }
            }
        }

        Map<String, Segment> segments = new LinkedHashMap<>();
        Map<String, SegmentSpec> segmentSpecs = spec.segments() == null ? Map.of() : spec.segments();
        for (Map.Entry<String, SegmentSpec> entry : segmentSpecs.entrySet()) {
            String segmentKey = key + ".segments." + entry.getKey();
            if (!checkName(segmentKey, entry.getKey(), "segment")) {
                continue;
            }
            SegmentSpec segmentSpec = entry.getValue();
            if (segmentSpec == null || segmentSpec.filter() == null || segmentSpec.filter().isEmpty()) {
                problems.add(segmentKey, "the segment has no filter", "give it filter: [{column: ..., equals: ...}]");
                continue;
            }
            requireDescription(segmentKey, segmentSpec.description());
            List<Condition> filter = conditions(segmentKey + ".filter", segmentSpec.filter(), table);
            segments.put(entry.getKey(), new Segment(entry.getKey(), segmentSpec.description(), filter));
        }
        return new Cube(name, table, spec.description(), national, geography, geographyTypes, measures, dimensions,
                joins, segments);
    }

    private void geography(String key, String table, GeographySpec spec, Map<GeoLevel, String> geography,
                           Map<String, DataType> types) {
        String[] columns = {spec.commune(), spec.epci(), spec.departement(), spec.region()};
        GeoLevel[] levels = GeoLevel.values();
        for (int i = 0; i < levels.length; i++) {
            if (columns[i] == null) {
                continue;
            }
            String levelKey = key + "." + levels[i].label();
            Optional<DataType> type = column(levelKey, table, columns[i]);
            if (type.isEmpty()) {
                continue;
            }
            if (type.get() != DataType.UNKNOWN && type.get() != DataType.STRING && type.get() != DataType.LIST) {
                problems.add(levelKey, "column '" + columns[i] + "' is " + type.get().label()
                        + ", not INSEE codes (text or a list of text)", null);
                continue;
            }
            geography.put(levels[i], columns[i]);
            types.put(columns[i], type.get());
        }
        if (geography.isEmpty() && Arrays.stream(columns).allMatch(c -> c == null)) {
            problems.add(key, "the geography names no column", "give region, departement, epci and/or commune");
        }
    }

    private Measure measure(String key, String name, MeasureSpec spec, String table, Map<String, MeasureSpec> all) {
        if (spec == null || blank(spec.type())) {
            problems.add(key + ".type", "the measure has no type", "one of " + labels(MeasureKind.values()));
            return null;
        }
        MeasureKind kind = parse(MeasureKind.class, spec.type());
        if (kind == null) {
            problems.add(key + ".type", "unknown measure type '" + spec.type() + "'", "one of "
                    + labels(MeasureKind.values()));
            return null;
        }
        requireDescription(key, spec.description());
        if (kind == MeasureKind.RATIO) {
            if (spec.column() != null || spec.filter() != null) {
                problems.add(key, "a ratio has no column or filter of its own",
                        "filter its numerator and denominator measures instead");
            }
            boolean ok = ratioPart(key + ".numerator", "numerator", spec.numerator(), name, all);
            ok &= ratioPart(key + ".denominator", "denominator", spec.denominator(), name, all);
            return ok ? new Measure(name, spec.description(), kind, null, DataType.FLOAT, spec.numerator(),
                    spec.denominator(), List.of()) : null;
        }
        if (spec.numerator() != null || spec.denominator() != null) {
            problems.add(key, "numerator and denominator belong to ratio measures", "remove them or write type: ratio");
        }
        DataType columnType = DataType.INTEGER;
        if (spec.column() == null) {
            if (kind != MeasureKind.COUNT) {
                problems.add(key + ".column", "a " + kind.label() + " measure needs a column", null);
                return null;
            }
        } else {
            Optional<DataType> type = column(key + ".column", table, spec.column());
            if (type.isEmpty()) {
                return null;
            }
            columnType = type.get();
            if (!fits(kind, columnType)) {
                problems.add(key + ".column", "cannot take the " + kind.label() + " of column '" + spec.column()
                        + "' (" + columnType.label() + ")", kind == MeasureKind.SUM || kind == MeasureKind.AVG
                        ? "sum and avg need a number column" : null);
                return null;
            }
        }
        List<Condition> filter = spec.filter() == null ? List.of() : conditions(key + ".filter", spec.filter(), table);
        return new Measure(name, spec.description(), kind, spec.column(), columnType, null, null, filter);
    }

    private boolean ratioPart(String key, String role, String measure, String ratio, Map<String, MeasureSpec> all) {
        if (blank(measure)) {
            problems.add(key, "a ratio needs a " + role + " (another measure of the cube)", null);
            return false;
        }
        MeasureSpec part = all.get(measure);
        if (part == null) {
            problems.add(key, "no measure '" + measure + "' in this cube", suggestion(measure, all.keySet()).trim());
            return false;
        }
        if (measure.equals(ratio) || "ratio".equalsIgnoreCase(part.type())) {
            problems.add(key, "the " + role + " '" + measure + "' is a ratio", "a ratio divides two plain measures");
            return false;
        }
        return true;
    }

    private static boolean fits(MeasureKind kind, DataType type) {
        if (type == DataType.UNKNOWN) {
            return true;
        }
        return switch (kind) {
            case SUM, AVG -> type.isNumeric();
            case MIN, MAX -> type.isNumeric() || type.isTemporal() || type == DataType.STRING;
            case COUNT, COUNT_DISTINCT -> type != DataType.OTHER;
            case RATIO -> false;
        };
    }

    private Dimension dimension(String key, String name, DimensionSpec spec, String table) {
        if (spec == null) {
            problems.add(key, "the dimension is empty", "give it a column");
            return null;
        }
        DimensionKind kind = spec.type() == null ? DimensionKind.CATEGORICAL : parse(DimensionKind.class, spec.type());
        if (kind == null) {
            problems.add(key + ".type", "unknown dimension type '" + spec.type() + "'", "one of "
                    + labels(DimensionKind.values()));
            return null;
        }
        requireDescription(key, spec.description());
        if (kind != DimensionKind.TIME && spec.grains() != null) {
            problems.add(key + ".grains", "only time dimensions have grains", null);
        }
        if (kind != DimensionKind.GEO && spec.levels() != null) {
            problems.add(key + ".levels", "only geo dimensions have levels", null);
        }
        if (kind == DimensionKind.GEO) {
            return geoDimension(key, name, spec, table);
        }
        if (blank(spec.column())) {
            problems.add(key + ".column", "the dimension has no column", null);
            return null;
        }
        Optional<DataType> type = column(key + ".column", table, spec.column());
        if (type.isEmpty()) {
            return null;
        }
        if (type.get() == DataType.LIST || type.get() == DataType.OTHER) {
            problems.add(key + ".column", "column '" + spec.column() + "' holds lists or structures, which cannot be"
                    + " grouped on", "use a column of single values");
            return null;
        }
        personalData(key + ".column", table, spec.column());
        List<Grain> grains = List.of();
        if (kind == DimensionKind.TIME) {
            if (type.get() != DataType.UNKNOWN && !type.get().isTemporal()) {
                problems.add(key + ".column", "a time dimension needs a date or timestamp column; '" + spec.column()
                        + "' is " + type.get().label(), "make it a categorical dimension (remove type: time)");
                return null;
            }
            grains = grains(key + ".grains", spec.grains());
            if (grains.isEmpty()) {
                return null;
            }
        }
        return new Dimension(name, spec.description(), kind, spec.column(), type.get(), grains, List.of());
    }

    private List<Grain> grains(String key, List<String> written) {
        if (written == null) {
            return List.of(Grain.values());
        }
        if (written.isEmpty()) {
            problems.add(key, "no grain listed", "list some of " + labels(Grain.values()) + ", or remove the key");
            return List.of();
        }
        Set<Grain> grains = new java.util.TreeSet<>();
        for (int i = 0; i < written.size(); i++) {
            Grain grain = written.get(i) == null ? null : parse(Grain.class, written.get(i));
            if (grain == null) {
                problems.add(key + "[" + i + "]", "bad grain '" + written.get(i) + "'", "grains are "
                        + labels(Grain.values()));
                return List.of();
            }
            grains.add(grain);
        }
        return List.copyOf(grains);
    }

    private Dimension geoDimension(String key, String name, DimensionSpec spec, String table) {
        if (spec.column() != null) {
            problems.add(key + ".column", "a geo dimension has levels, not a column",
                    "levels: {departement: {column: department_code, label: department_name}, ...}");
        }
        if (spec.levels() == null || spec.levels().isEmpty()) {
            problems.add(key + ".levels", "a geo dimension needs levels", "some of commune, epci, departement, region");
            return null;
        }
        List<Level> levels = new ArrayList<>();
        for (Map.Entry<String, LevelSpec> entry : spec.levels().entrySet()) {
            String levelKey = key + ".levels." + entry.getKey();
            Optional<GeoLevel> level = GeoLevel.of(entry.getKey());
            if (level.isEmpty()) {
                problems.add(levelKey, "unknown level '" + entry.getKey() + "'", "levels are commune, epci,"
                        + " departement, region");
                continue;
            }
            LevelSpec levelSpec = entry.getValue();
            if (levelSpec == null || blank(levelSpec.column())) {
                problems.add(levelKey + ".column", "the level has no column", null);
                continue;
            }
            Optional<DataType> type = column(levelKey + ".column", table, levelSpec.column());
            if (type.isPresent() && type.get() != DataType.STRING && type.get() != DataType.UNKNOWN) {
                problems.add(levelKey + ".column", "column '" + levelSpec.column() + "' is " + type.get().label()
                        + ", not codes (text)", null);
                continue;
            }
            personalData(levelKey + ".column", table, levelSpec.column());
            if (levelSpec.label() != null && column(levelKey + ".label", table, levelSpec.label()).isPresent()) {
                personalData(levelKey + ".label", table, levelSpec.label());
            }
            if (type.isPresent()) {
                levels.add(new Level(level.get(), levelSpec.column(), levelSpec.label()));
            }
        }
        levels.sort(java.util.Comparator.comparing(Level::level));
        return levels.isEmpty() ? null
                : new Dimension(name, spec.description(), DimensionKind.GEO, null, DataType.STRING, List.of(), levels);
    }

    private Join join(String key, String name, JoinSpec spec, String table, Map<String, CubeSpec> cubes) {
        if (spec == null || blank(spec.cube())) {
            problems.add(key + ".cube", "the join names no cube", null);
            return null;
        }
        CubeSpec target = cubes.get(spec.cube());
        if (target == null) {
            problems.add(key + ".cube", "unknown cube '" + spec.cube() + "' in a join",
                    suggestion(spec.cube(), cubes.keySet()) + "cubes: " + String.join(", ", cubes.keySet()));
            return null;
        }
        String relationship = spec.relationship() == null ? "many_to_one" : spec.relationship();
        if (!relationship.equals("many_to_one") && !relationship.equals("one_to_one")) {
            problems.add(key + ".relationship", "relationship '" + relationship + "' is not supported",
                    "joins are many_to_one or one_to_one, so that they never multiply the rows measured");
        }
        if (spec.on() == null || spec.on().isEmpty()) {
            problems.add(key + ".on", "the join has no columns", "on: {this_cube_column: other_cube_column}");
            return null;
        }
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, String> pair : spec.on().entrySet()) {
            ok &= column(key + ".on." + pair.getKey(), table, pair.getKey()).isPresent();
            if (target.table() != null && catalog.hasTable(target.table())) {
                ok &= column(key + ".on." + pair.getKey(), target.table(), pair.getValue()).isPresent();
            } else {
                ok = false;
            }
            local.add(pair.getKey());
            remote.add(pair.getValue());
        }
        return ok ? new Join(name, spec.cube(), local, remote, spec.description()) : null;
    }

    private List<Condition> conditions(String key, List<FilterSpec> specs, String table) {
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String itemKey = key + "[" + i + "]";
            FilterSpec spec = specs.get(i);
            if (spec == null || blank(spec.column())) {
                problems.add(itemKey, "the condition names no column", "{column: ..., equals: ...}");
                continue;
            }
            Optional<DataType> type = column(itemKey + ".column", table, spec.column());
            if (type.isEmpty()) {
                continue;
            }
            Map<Operator, Object> given = new LinkedHashMap<>();
            put(given, Operator.EQUALS, spec.equalTo());
            put(given, Operator.NOT_EQUALS, spec.notEquals());
            put(given, Operator.IN, spec.in());
            put(given, Operator.NOT_IN, spec.notIn());
            put(given, Operator.GT, spec.gt());
            put(given, Operator.GTE, spec.gte());
            put(given, Operator.LT, spec.lt());
            put(given, Operator.LTE, spec.lte());
            put(given, Operator.BETWEEN, spec.between());
            put(given, Operator.CONTAINS, spec.contains());
            if (spec.isNull() != null) {
                given.put(spec.isNull() ? Operator.IS_NULL : Operator.IS_NOT_NULL, List.of());
            }
            if (given.size() != 1) {
                problems.add(itemKey, given.isEmpty() ? "the condition has no operator" : "the condition has "
                        + given.size() + " operators", "one of equals, not_equals, in, not_in, gt, gte, lt, lte,"
                        + " between, contains, is_null");
                continue;
            }
            Map.Entry<Operator, Object> only = given.entrySet().iterator().next();
            try {
                conditions.add(condition(spec.column(), type.get(), only.getKey(), only.getValue()));
            } catch (Values.BadValueException e) {
                problems.add(itemKey + "." + only.getKey().label(), e.getMessage() + " for column '" + spec.column()
                        + "' (" + type.get().label() + ")", null);
            }
        }
        return conditions;
    }

    /** A condition with its values checked against the column's type (shared with queries). */
    public static Condition condition(String column, DataType type, Operator operator, Object raw) {
        List<Object> values = new ArrayList<>();
        switch (operator) {
            case IS_NULL, IS_NOT_NULL -> {
            }
            case IN, NOT_IN, BETWEEN -> {
                if (!(raw instanceof List<?> list) || list.isEmpty()) {
                    throw new Values.BadValueException(operator.label() + " needs a list of values");
                }
                if (operator == Operator.BETWEEN && list.size() != 2) {
                    throw new Values.BadValueException("between needs two values, the low and the high bound");
                }
                for (Object item : list) {
                    values.add(Values.coerce(item, type));
                }
            }
            case CONTAINS -> {
                if (raw instanceof List<?>) {
                    throw new Values.BadValueException("contains needs one text value");
                }
                values.add(Values.coerce(raw, DataType.STRING));
            }
            default -> {
                if (raw instanceof List<?>) {
                    throw new Values.BadValueException(operator.label() + " needs one value, not a list");
                }
                values.add(Values.coerce(raw, type));
            }
        }
        return new Condition(column, type, operator, values);
    }

    private static void put(Map<Operator, Object> given, Operator operator, Object value) {
        if (value != null) {
            given.put(operator, value);
        }
    }

    /** The column's type, or empty after recording the problem. */
    private Optional<DataType> column(String key, String table, String column) {
        if (blank(column)) {
            problems.add(key, "no column given", null);
            return Optional.empty();
        }
        Optional<DataType> type = catalog.column(table, column);
        if (type.isEmpty()) {
            problems.add(key, "unknown column '" + column + "': table " + table + " has no such column in "
                    + catalog.source(), suggestion(column, catalog.columns(table).keySet()).trim());
        }
        return type;
    }

    /** Refuses a dimension over a column the dbt project classifies as personal data. */
    private void personalData(String key, String table, String column) {
        if (classification == null) {
            return;
        }
        Optional<MartColumns> mart = classification.table(table);
        if (mart.isEmpty()) {
            problems.add(key, "table " + table + " is not published from a mart of the dbt project (publish.yml),"
                    + " so the personal-data class of '" + column + "' is unknown: not allowed as a dimension", null);
            return;
        }
        ColumnClass columnClass = mart.get().columns().get(column);
        if (columnClass == null || columnClass.pii() == null) {
            problems.add(key, "column '" + column + "' has no personal-data classification in model "
                    + mart.get().mart() + " (" + mart.get().file() + "): not allowed as a dimension",
                    "classify it: meta: {pii: none}");
            return;
        }
        if (columnClass.personal()) {
            problems.add(key, "column '" + column + "' is classified pii: " + columnClass.pii() + " in model "
                    + mart.get().mart() + " (" + mart.get().file() + "): personal data is never a dimension, refused",
                    "remove the dimension, or expose a pseudonymised column (meta: {pii: ..., pseudonymised: true})");
        }
    }

    private boolean checkName(String key, String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(key, "bad " + what + " name '" + name + "'",
                    "names are lower-case letters, digits and single underscores, starting with a letter");
            return false;
        }
        if (RESERVED.contains(name) || (what.equals("cube") && RESERVED_CUBES.contains(name))) {
            problems.add(key, what + " name '" + name + "' is reserved", "GraphQL uses it: choose another name");
            return false;
        }
        return true;
    }

    /** GraphQL's literals (not enum values) and the metadata fields of the query type. */
    private static final Set<String> RESERVED = Set.of("true", "false", "null");
    private static final Set<String> RESERVED_CUBES = Set.of("cubes", "cube");

    private void requireDescription(String key, String description) {
        if (blank(description)) {
            problems.add(key + ".description", "no description", "describe it in French with an English gloss:"
                    + " it is the documentation of the API");
        }
    }

    private static String suggestion(String name, java.util.Collection<String> candidates) {
        return EditDistance.closest(name, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String labels(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
