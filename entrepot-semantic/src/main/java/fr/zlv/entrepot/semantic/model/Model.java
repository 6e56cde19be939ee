package fr.zlv.entrepot.semantic.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A validated semantic model: every name, column, type and reference checked by {@link ModelBuilder}. The SQL
 * compiler takes identifiers only from here.
 *
 * @param file  the semantic.yml it came from
 * @param cubes the cubes by name, in the file's order
 */
public record Model(Path file, Map<String, Cube> cubes) {

    public Model {
        cubes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cubes));
    }

    public Optional<Cube> cube(String name) {
        return Optional.ofNullable(cubes.get(name));
    }

    /** How measures aggregate. */
    public enum MeasureKind {
        COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, RATIO;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum DimensionKind {
        CATEGORICAL, TIME, GEO;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Time grains, finest first. */
    public enum Grain {
        DAY, WEEK, MONTH, QUARTER, YEAR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Territorial levels, finest first; the names of the principal's territory claims. */
    public enum GeoLevel {
        COMMUNE, EPCI, DEPARTEMENT, REGION;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<GeoLevel> of(String label) {
            for (GeoLevel level : values()) {
                if (level.label().equals(label)) {
                    return Optional.of(level);
                }
            }
            return Optional.empty();
        }
    }

    /** Filter operators, shared by the model's filters and the queries'. */
    public enum Operator {
        EQUALS, NOT_EQUALS, IN, NOT_IN, GT, GTE, LT, LTE, BETWEEN, CONTAINS, IS_NULL, IS_NOT_NULL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A condition on one column, its values already of the column's type. */
    public record Condition(String column, DataType type, Operator operator, List<Object> values) {
        public Condition {
            values = values == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    public record Measure(String name, String description, MeasureKind kind, String column, DataType columnType,
                          String numerator, String denominator, List<Condition> filter) {
        public Measure {
            filter = List.copyOf(filter);
        }

        /** The type of the measure's values. */
        public DataType outputType() {
            return switch (kind) {
                case COUNT, COUNT_DISTINCT -> DataType.INTEGER;
                case AVG, RATIO -> DataType.FLOAT;
                case SUM -> columnType == DataType.INTEGER ? DataType.INTEGER : DataType.FLOAT;
                case MIN, MAX -> columnType;
            };
        }
    }

    /** One level of a geographic dimension. */
    public record Level(GeoLevel level, String column, String label) {
    }

    /**
     * @param column the column (categorical, time); for geo dimensions null (see levels)
     * @param type   the column's type (categorical, time); STRING for geo dimensions
     * @param grains the allowed grains of a time dimension, finest first
     * @param levels the levels of a geo dimension, finest first
     */
    public record Dimension(String name, String description, DimensionKind kind, String column, DataType type,
                            List<Grain> grains, List<Level> levels) {
        public Dimension {
            grains = List.copyOf(grains);
            levels = List.copyOf(levels);
        }

        public Optional<Level> level(GeoLevel level) {
            return levels.stream().filter(l -> l.level() == level).findFirst();
        }
    }

    /** A join: this cube's {@code localColumns} equal the target cube's {@code remoteColumns}, pairwise. */
    public record Join(String name, String cube, List<String> localColumns, List<String> remoteColumns,
                       String description) {
        public Join {
            localColumns = List.copyOf(localColumns);
            remoteColumns = List.copyOf(remoteColumns);
        }
    }

    public record Segment(String name, String description, List<Condition> filter) {
        public Segment {
            filter = List.copyOf(filter);
        }
    }

    /**
     * @param national  the cube holds national figures only: no row belongs to a territory
     * @param geography territorial level → column (a list column matches any of its codes)
     */
    public record Cube(String name, String table, String description, boolean national,
                       Map<GeoLevel, String> geography, Map<String, DataType> geographyTypes,
                       Map<String, Measure> measures, Map<String, Dimension> dimensions,
                       Map<String, Join> joins, Map<String, Segment> segments) {

        public Cube {
            geography = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(geography));
            geographyTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(geographyTypes));
            measures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measures));
            dimensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
            joins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(joins));
            segments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(segments));
        }
    }

    /** The separator between a join's name and a dimension of the joined cube: {@code establishment__kind}. */
    public static final String JOIN_SEPARATOR = "__";

    /**
     * A dimension a query on {@code cube} can use: one of its own, or one of a joined cube
     * ({@code join__dimension}).
     *
     * @param name      the name in queries
     * @param join      the join it comes through, null for the cube's own
     * @param owner     the cube that holds the dimension
     * @param dimension the dimension
     */
    public record DimensionRef(String name, Join join, Cube owner, Dimension dimension) {
    }

    /** The cube's own dimensions, then those of its joined cubes. */
    public List<DimensionRef> dimensionRefs(Cube cube) {
        List<DimensionRef> refs = new ArrayList<>();
        cube.dimensions().values().forEach(d -> refs.add(new DimensionRef(d.name(), null, cube, d)));
        for (Join join : cube.joins().values()) {
            Cube target = cubes.get(join.cube());
            target.dimensions().values().forEach(d ->
                    refs.add(new DimensionRef(join.name() + JOIN_SEPARATOR + d.name(), join, target, d)));
        }
        return refs;
    }

    public Optional<DimensionRef> dimensionRef(Cube cube, String name) {
        int cut = name.indexOf(JOIN_SEPARATOR);
        if (cut < 0) {
            Dimension own = cube.dimensions().get(name);
            return own == null ? Optional.empty() : Optional.of(new DimensionRef(name, null, cube, own));
        }
        Join join = cube.joins().get(name.substring(0, cut));
        if (join == null) {
            return Optional.empty();
        }
        Cube target = cubes.get(join.cube());
        Dimension dimension = target.dimensions().get(name.substring(cut + JOIN_SEPARATOR.length()));
        return dimension == null ? Optional.empty() : Optional.of(new DimensionRef(name, join, target, dimension));
    }
}
