package fr.zlv.entrepot.semantic.query;

import fr.zlv.entrepot.semantic.access.AccessPolicy.Role;
import fr.zlv.entrepot.semantic.access.AccessScope;
import fr.zlv.entrepot.semantic.model.DataType;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.Model.Condition;
import fr.zlv.entrepot.semantic.model.Model.Cube;
import fr.zlv.entrepot.semantic.model.Model.Dimension;
import fr.zlv.entrepot.semantic.model.Model.DimensionKind;
import fr.zlv.entrepot.semantic.model.Model.DimensionRef;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.model.Model.Grain;
import fr.zlv.entrepot.semantic.model.Model.Join;
import fr.zlv.entrepot.semantic.model.Model.Level;
import fr.zlv.entrepot.semantic.model.Model.Measure;
import fr.zlv.entrepot.semantic.model.Model.MeasureKind;
import fr.zlv.entrepot.semantic.model.Model.Operator;
import fr.zlv.entrepot.semantic.model.Model.Segment;
import fr.zlv.entrepot.semantic.model.ModelBuilder;
import fr.zlv.entrepot.semantic.model.Values;
import fr.zlv.entrepot.semantic.query.CompiledQuery.Field;
import fr.zlv.entrepot.semantic.query.CompiledQuery.FieldKind;
import fr.zlv.entrepot.semantic.query.SemanticQuery.DimensionChoice;
import fr.zlv.entrepot.semantic.query.SemanticQuery.Filter;
import fr.zlv.entrepot.semantic.query.SemanticQuery.Order;
import fr.zlv.entrepot.semantic.query.SemanticQuery.TimeRange;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link SemanticQuery} into DuckDB SQL for one principal: resolves every name against the validated model,
 * refuses what the principal's role may not see ({@code FORBIDDEN}) and what does not make sense
 * ({@code BAD_USER_INPUT}), and writes the statement with identifiers taken from the model only and every value, the
 * territorial scope's codes included, as a bound parameter.
 */
public final class QueryCompiler {

    private static final String BASE = "t";

    /**
     * @param defaultLimit page size when the query gives none
     * @param maxLimit     largest page size
     * @param maxValues    most values in one filter (in, not_in)
     */
    public record Limits(int defaultLimit, int maxLimit, int maxValues) {
    }

    private final Model model;
    private final Limits limits;

    public QueryCompiler(Model model, Limits limits) {
        this.model = model;
        this.limits = limits;
    }

    /**
     * @param catalog the DuckDB catalog (the attached BI file) the tables are read from
     */
    public CompiledQuery compile(SemanticQuery query, AccessScope scope, String catalog) {
        return new Compilation(query, scope, catalog).compile();
    }

    /** The state of one compilation: the SQL written so far and its parameters, in order. */
    private final class Compilation {
        private final SemanticQuery query;
        private final AccessScope scope;
        private final String catalog;
        private final Role role;
        private final Cube cube;
        private final List<Object> params = new ArrayList<>();
        private final Map<String, Join> joins = new LinkedHashMap<>();

        Compilation(SemanticQuery query, AccessScope scope, String catalog) {
            this.query = query;
            this.scope = scope;
            this.catalog = catalog;
            this.role = scope.role();
            this.cube = model.cube(query.cube()).orElseThrow(() ->
                    QueryException.badInput("Unknown cube '" + query.cube() + "'."));
        }

        CompiledQuery compile() {
            if (!role.mayQuery(cube.name())) {
                throw QueryException.forbidden("Role '" + role.name() + "' may not query cube '" + cube.name() + "'.");
            }
            if (query.measures().isEmpty() && query.dimensions().isEmpty()) {
                throw QueryException.badInput("Ask for at least one measure or dimension of cube '" + cube.name()
                        + "'.");
            }
            int limit = query.limit() == null ? limits.defaultLimit() : query.limit();
            if (limit < 1 || limit > limits.maxLimit()) {
                throw QueryException.badInput("limit must be between 1 and " + limits.maxLimit() + ", not " + limit
                        + ".");
            }
            int offset = query.offset() == null ? 0 : query.offset();
            if (offset < 0) {
                throw QueryException.badInput("offset must be 0 or more, not " + offset + ".");
            }

            List<Measure> measures = measures();
            List<DimensionRef> dimensionRefs = new ArrayList<>();
            List<DimensionChoice> choices = query.dimensions();
            Set<String> seen = new HashSet<>();
            for (DimensionChoice choice : choices) {
                DimensionRef ref = dimension(choice.dimension(), "group by");
                if (!seen.add(ref.name())) {
                    throw QueryException.badInput("Dimension '" + ref.name() + "' is asked for twice.");
                }
                dimensionRefs.add(ref);
            }

            // SELECT: dimensions first (their ordinals group and order the rows), then measures.
            StringBuilder select = new StringBuilder();
            List<Field> fields = new ArrayList<>();
            int column = 0;
            for (int i = 0; i < dimensionRefs.size(); i++) {
                DimensionRef ref = dimensionRefs.get(i);
                DimensionChoice choice = choices.get(i);
                Dimension dimension = ref.dimension();
                String alias = alias(ref);
                separate(select);
                switch (dimension.kind()) {
                    case CATEGORICAL -> {
                        if (choice.grain() != null || choice.level() != null) {
                            throw QueryException.badInput("Dimension '" + ref.name()
                                    + "' is categorical: it takes no grain or level.");
                        }
                        select.append(column(alias, dimension.column())).append(" AS ").append(quote(ref.name()));
                        fields.add(new Field(ref.name(), FieldKind.DIMENSION, dimension.type(), ++column, 0, null));
                    }
                    case TIME -> {
                        if (choice.level() != null) {
                            throw QueryException.badInput("Dimension '" + ref.name() + "' is a time dimension: it"
                                    + " takes a grain, not a level.");
                        }
                        Grain grain = grain(ref, choice.grain());
                        select.append("CAST(date_trunc('").append(grain.label()).append("', ")
                                .append(column(alias, dimension.column())).append(") AS DATE) AS ")
                                .append(quote(ref.name()));
                        fields.add(new Field(ref.name(), FieldKind.DIMENSION, DataType.DATE, ++column, 0, null));
                    }
                    case GEO -> {
                        if (choice.grain() != null) {
                            throw QueryException.badInput("Dimension '" + ref.name() + "' is geographic: it takes a"
                                    + " level, not a grain.");
                        }
                        Level level = level(ref, choice.level());
                        select.append(column(alias, level.column())).append(" AS ").append(quote(ref.name()));
                        int code = ++column;
                        int name = 0;
                        if (level.label() != null) {
                            select.append(", ").append(column(alias, level.label())).append(" AS ")
                                    .append(quote(ref.name() + "__name"));
                            name = ++column;
                        }
                        fields.add(new Field(ref.name(), FieldKind.GEO, DataType.STRING, code, name, level.level()));
                    }
                }
            }
            int dimensionColumns = column;
            for (Measure measure : measures) {
                separate(select);
                select.append(measureSql(measure)).append(" AS ").append(quote(measure.name()));
                fields.add(new Field(measure.name(), FieldKind.MEASURE, measure.outputType(), ++column, 0, null));
            }

            // WHERE: the territorial scope, then segments, filters and the time range. Each part is written with
            // its own parameters, then the parameters are put together in the order of the ? in the statement:
            // SELECT (measure filters), WHERE territorial, WHERE the rest. The territorial part is written last
            // because it covers every joined cube, and filters may add joins.
            List<String> where = new ArrayList<>();
            List<Object> selectParams = new ArrayList<>(params);
            params.clear();
            for (String segmentName : query.segments()) {
                Segment segment = cube.segments().get(segmentName);
                if (segment == null) {
                    throw QueryException.badInput("Unknown segment '" + segmentName + "' of cube '" + cube.name()
                            + "'.");
                }
                if (!role.mayUseSegment(cube.name(), segmentName)) {
                    throw QueryException.forbidden("Role '" + role.name() + "' may not use segment '" + segmentName
                            + "' of cube '" + cube.name() + "'.");
                }
                for (Condition condition : segment.filter()) {
                    where.add(condition(BASE, condition));
                }
            }
            for (Filter filter : query.filters()) {
                where.add(filter(filter));
            }
            if (query.timeRange() != null) {
                timeRange(query.timeRange(), where);
            }
            List<Object> whereParams = new ArrayList<>(params);
            params.clear();
            // The territorial conditions come last but cover every cube read, joined ones included.
            List<String> territorial = territorial();
            List<Object> territorialParams = new ArrayList<>(params);

            StringBuilder sql = new StringBuilder("SELECT ").append(select);
            sql.append("\nFROM ").append(table(cube)).append(" AS ").append(quote(BASE));
            for (Join join : joins.values()) {
                Cube target = model.cubes().get(join.cube());
                String alias = joinAlias(join);
                sql.append("\nLEFT JOIN ").append(table(target)).append(" AS ").append(quote(alias)).append(" ON ");
                for (int i = 0; i < join.localColumns().size(); i++) {
                    if (i > 0) {
                        sql.append(" AND ");
                    }
                    sql.append(column(BASE, join.localColumns().get(i))).append(" = ")
                            .append(column(alias, join.remoteColumns().get(i)));
                }
            }
            List<String> conditions = new ArrayList<>(territorial);
            conditions.addAll(where);
            List<Object> allParams = new ArrayList<>(selectParams);
            allParams.addAll(territorialParams);
            allParams.addAll(whereParams);
            if (!conditions.isEmpty()) {
                sql.append("\nWHERE ").append(String.join("\n  AND ", conditions));
            }
            if (dimensionColumns > 0 && !measures.isEmpty()) {
                sql.append("\nGROUP BY ");
                for (int i = 1; i <= dimensionColumns; i++) {
                    sql.append(i == 1 ? "" : ", ").append(i);
                }
            } else if (dimensionColumns > 0) {
                sql.insert("SELECT ".length(), "DISTINCT ");
            }
            String order = order(fields, dimensionColumns);
            if (!order.isEmpty()) {
                sql.append("\nORDER BY ").append(order);
            }
            sql.append("\nLIMIT ").append(limit + 1).append(" OFFSET ").append(offset);

            List<String> cubes = new ArrayList<>();
            cubes.add(cube.name());
            joins.values().forEach(j -> cubes.add(j.cube()));
            return new CompiledQuery(sql.toString(), allParams, fields, limit, cubes);
        }

        private List<Measure> measures() {
            List<Measure> measures = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : query.measures()) {
                Measure measure = cube.measures().get(name);
                if (measure == null) {
                    throw QueryException.badInput("Unknown measure '" + name + "' of cube '" + cube.name() + "'.");
                }
                if (!role.mayUseMeasure(cube.name(), name)) {
                    throw QueryException.forbidden("Role '" + role.name() + "' may not see measure '" + name
                            + "' of cube '" + cube.name() + "'.");
                }
                if (!seen.add(name)) {
                    throw QueryException.badInput("Measure '" + name + "' is asked for twice.");
                }
                measures.add(measure);
            }
            return measures;
        }

        /** Resolves a dimension (own or joined), checks the role may use it, and records the join it needs. */
        private DimensionRef dimension(String name, String use) {
            DimensionRef ref = model.dimensionRef(cube, name).orElseThrow(() ->
                    QueryException.badInput("Unknown dimension '" + name + "' of cube '" + cube.name() + "'."));
            if (!role.mayQuery(ref.owner().name()) || !role.mayUseDimension(ref.owner().name(), ref.dimension().name())) {
                throw QueryException.forbidden("Role '" + role.name() + "' may not " + use + " dimension '" + name
                        + "'" + (ref.join() == null ? " of cube '" + cube.name() + "'"
                        : " (dimension '" + ref.dimension().name() + "' of cube '" + ref.owner().name() + "')") + ".");
            }
            if (ref.join() != null) {
                joins.putIfAbsent(ref.join().name(), ref.join());
            }
            return ref;
        }

        private Grain grain(DimensionRef ref, Grain asked) {
            List<Grain> grains = ref.dimension().grains();
            if (asked == null) {
                return grains.get(0);
            }
            if (!grains.contains(asked)) {
                throw QueryException.badInput("Dimension '" + ref.name() + "' has no grain " + asked.label()
                        + "; grains: " + String.join(", ", grains.stream().map(Grain::label).toList()) + ".");
            }
            return asked;
        }

        private Level level(DimensionRef ref, GeoLevel asked) {
            List<Level> levels = ref.dimension().levels();
            if (asked == null) {
                return levels.get(0);
            }
            return ref.dimension().level(asked).orElseThrow(() -> QueryException.badInput("Dimension '" + ref.name()
                    + "' has no level " + asked.label() + "; levels: "
                    + String.join(", ", levels.stream().map(l -> l.level().label()).toList()) + "."));
        }

        private String measureSql(Measure measure) {
            if (measure.kind() == MeasureKind.RATIO) {
                Measure numerator = cube.measures().get(measure.numerator());
                Measure denominator = cube.measures().get(measure.denominator());
                return "CAST(" + measureSql(numerator) + " AS DOUBLE) / NULLIF(CAST(" + measureSql(denominator)
                        + " AS DOUBLE), 0)";
            }
            String column = measure.column() == null ? null : column(BASE, measure.column());
            String aggregate = switch (measure.kind()) {
                case COUNT -> column == null ? "count(*)" : "count(" + column + ")";
                case COUNT_DISTINCT -> "count(DISTINCT " + column + ")";
                case SUM -> "sum(" + column + ")";
                case AVG -> "avg(" + column + ")";
                case MIN -> "min(" + column + ")";
                case MAX -> "max(" + column + ")";
                case RATIO -> throw new IllegalStateException("ratios are written above");
            };
            if (measure.filter().isEmpty()) {
                return aggregate;
            }
            List<String> conditions = new ArrayList<>();
            for (Condition condition : measure.filter()) {
                conditions.add(condition(BASE, condition));
            }
            return aggregate + " FILTER (WHERE " + String.join(" AND ", conditions) + ")";
        }

        private String filter(Filter filter) {
            if (filter.operator() == null) {
                throw QueryException.badInput("The filter on '" + filter.dimension() + "' has no operator.");
            }
            DimensionRef ref = dimension(filter.dimension(), "filter on");
            Dimension dimension = ref.dimension();
            String column;
            DataType type;
            if (dimension.kind() == DimensionKind.GEO) {
                Level level = level(ref, filter.level());
                column = level.column();
                type = DataType.STRING;
            } else {
                if (filter.level() != null) {
                    throw QueryException.badInput("Dimension '" + ref.name() + "' is not geographic: its filter takes"
                            + " no level.");
                }
                column = dimension.column();
                type = dimension.type();
            }
            Operator operator = filter.operator();
            boolean many = operator == Operator.IN || operator == Operator.NOT_IN || operator == Operator.BETWEEN;
            boolean none = operator == Operator.IS_NULL || operator == Operator.IS_NOT_NULL;
            Object raw;
            if (many) {
                if (filter.values() == null || filter.values().isEmpty()) {
                    throw QueryException.badInput("The " + operator.label() + " filter on '" + ref.name()
                            + "' needs values: [...].");
                }
                if (filter.values().size() > limits.maxValues()) {
                    throw QueryException.badInput("The filter on '" + ref.name() + "' has " + filter.values().size()
                            + " values; at most " + limits.maxValues() + ".");
                }
                raw = filter.values();
            } else if (none) {
                raw = null;
            } else {
                if (filter.value() == null) {
                    throw QueryException.badInput("The " + operator.label() + " filter on '" + ref.name()
                            + "' needs a value.");
                }
                raw = filter.value();
            }
            Condition condition;
            try {
                condition = ModelBuilder.condition(column, type, operator, raw);
            } catch (Values.BadValueException e) {
                throw QueryException.badInput("Filter on '" + ref.name() + "': " + e.getMessage() + ".");
            }
            return condition(alias(ref), condition);
        }

        private void timeRange(TimeRange range, List<String> where) {
            DimensionRef ref = dimension(range.dimension(), "filter on");
            if (ref.dimension().kind() != DimensionKind.TIME) {
                throw QueryException.badInput("The time range needs a time dimension; '" + ref.name() + "' is "
                        + ref.dimension().kind().label() + ".");
            }
            LocalDate from = date(range.from(), "from");
            LocalDate to = date(range.to(), "to");
            if (from != null && to != null && from.isAfter(to)) {
                throw QueryException.badInput("The time range starts (" + from + ") after it ends (" + to + ").");
            }
            String column = column(alias(ref), ref.dimension().column());
            String cast = ref.dimension().type().castTarget() == null ? "DATE" : ref.dimension().type().castTarget();
            if (from != null) {
                where.add(column + " >= CAST(? AS " + cast + ")");
                params.add(from.toString());
            }
            if (to != null) {
                // "to" is a whole day: everything before the next midnight.
                where.add(column + " < CAST(? AS " + cast + ")");
                params.add(to.plusDays(1).toString());
            }
        }

        private LocalDate date(String text, String bound) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return LocalDate.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw QueryException.badInput("The time range's " + bound + " '" + Values.shorten(text)
                        + "' is not a date (YYYY-MM-DD).");
            }
        }

        /**
         * For a territorial role, one condition per cube read: its rows must lie in one of the principal's
         * territories. A cube whose columns cannot place a row in those territories is refused, never shown whole.
         */
        private List<String> territorial() {
            List<String> conditions = new ArrayList<>();
            if (!scope.territorial()) {
                return conditions;
            }
            conditions.addAll(territorial(cube, BASE));
            for (Join join : joins.values()) {
                conditions.addAll(territorial(model.cubes().get(join.cube()), joinAlias(join)));
            }
            return conditions;
        }

        private List<String> territorial(Cube target, String alias) {
            if (target.national()) {
                return List.of();
            }
            List<String> alternatives = new ArrayList<>();
            for (Map.Entry<GeoLevel, List<String>> territory : scope.territories().entrySet()) {
                String column = target.geography().get(territory.getKey());
                if (column == null) {
                    continue;
                }
                if (target.geographyTypes().get(column) == DataType.LIST) {
                    for (String code : territory.getValue()) {
                        alternatives.add("list_contains(" + column(alias, column) + ", ?)");
                        params.add(code);
                    }
                } else {
                    alternatives.add(column(alias, column) + " IN (" + placeholders(territory.getValue().size())
                            + ")");
                    params.addAll(territory.getValue());
                }
            }
            if (alternatives.isEmpty()) {
                throw QueryException.forbidden("Role '" + role.name() + "' sees only its territories ("
                        + String.join(", ", scope.territories().keySet().stream().map(GeoLevel::label).toList())
                        + "), and cube '" + target.name() + "' has no column for "
                        + (scope.territories().size() == 1 ? "that level" : "those levels") + ".");
            }
            return List.of("(" + String.join(" OR ", alternatives) + ")");
        }

        private String order(List<Field> fields, int dimensionColumns) {
            List<String> parts = new ArrayList<>();
            Set<Integer> ordered = new HashSet<>();
            for (Order order : query.orderBy()) {
                Field field = fields.stream().filter(f -> f.name().equals(order.field())).findFirst()
                        .orElseThrow(() -> QueryException.badInput("Cannot order by '" + order.field()
                                + "': order by a measure or dimension the query asks for."));
                if (ordered.add(field.column())) {
                    parts.add(field.column() + (order.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST"));
                }
            }
            // Then every dimension, so that pages are stable.
            for (int i = 1; i <= dimensionColumns; i++) {
                if (ordered.add(i)) {
                    parts.add(i + " ASC NULLS LAST");
                }
            }
            return String.join(", ", parts);
        }

        /** One condition as SQL, its values appended to the parameters. */
        private String condition(String alias, Condition condition) {
            String column = column(alias, condition.column());
            String placeholder = placeholder(condition.type());
            List<Object> values = condition.values();
            String sql = switch (condition.operator()) {
                case EQUALS -> column + " = " + placeholder;
                case NOT_EQUALS -> column + " <> " + placeholder;
                case GT -> column + " > " + placeholder;
                case GTE -> column + " >= " + placeholder;
                case LT -> column + " < " + placeholder;
                case LTE -> column + " <= " + placeholder;
                case BETWEEN -> column + " BETWEEN " + placeholder + " AND " + placeholder;
                case IN -> column + " IN (" + String.join(", ", java.util.Collections.nCopies(values.size(),
                        placeholder)) + ")";
                case NOT_IN -> column + " NOT IN (" + String.join(", ", java.util.Collections.nCopies(values.size(),
                        placeholder)) + ")";
                case CONTAINS -> "contains(lower(CAST(" + column + " AS VARCHAR)), lower(?))";
                case IS_NULL -> column + " IS NULL";
                case IS_NOT_NULL -> column + " IS NOT NULL";
            };
            params.addAll(values);
            return sql;
        }

        private String alias(DimensionRef ref) {
            return ref.join() == null ? BASE : joinAlias(ref.join());
        }

        private String table(Cube target) {
            return quote(catalog) + ".main." + quote(target.table());
        }
    }

    private static String joinAlias(Join join) {
        return "j_" + join.name();
    }

    private static String placeholder(DataType type) {
        String cast = type.castTarget();
        return cast == null ? "?" : "CAST(? AS " + cast + ")";
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static void separate(StringBuilder select) {
        if (!select.isEmpty()) {
            select.append(", ");
        }
    }

    private static String column(String alias, String column) {
        return quote(alias) + "." + quote(column);
    }

    /** Quotes an identifier (all come from the validated model). */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
