package fr.zlv.entrepot.semantic.graphql;

import fr.zlv.entrepot.semantic.model.DataType;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.Model.Cube;
import fr.zlv.entrepot.semantic.model.Model.DimensionKind;
import fr.zlv.entrepot.semantic.model.Model.DimensionRef;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.model.Model.Grain;
import fr.zlv.entrepot.semantic.model.Model.Measure;
import fr.zlv.entrepot.semantic.model.Model.Operator;
import fr.zlv.entrepot.semantic.model.Model.Segment;
import graphql.Scalars;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import java.util.List;

/**
 * The GraphQL schema of a semantic model: per cube, a query field with its measures, dimensions, filters, time range,
 * segments, order and page as arguments, and a row type whose fields are the cube's measures and dimensions, typed;
 * plus the metadata fields {@code cubes}, {@code cube(name)} and {@code dataVersion}.
 *
 * <pre>
 * housing(measures: [HousingMeasure!]!, dimensions: [HousingDimensionInput!], filters: [HousingFilter!],
 *         timeRange: HousingTimeRange, segments: [HousingSegment!], orderBy: [HousingOrderBy!],
 *         limit: Int, offset: Int): HousingResult
 * </pre>
 */
public final class SchemaFactory {

    /** The fetchers the schema calls. */
    public interface Resolvers {
        /** Runs a query on {@code cube} with the field's arguments. */
        Object cube(String cube, graphql.schema.DataFetchingEnvironment environment);

        /** The cubes the principal may see (one when {@code name} is given, null when it may not). */
        Object cubes(String name, graphql.schema.DataFetchingEnvironment environment);

        Object dataVersion(graphql.schema.DataFetchingEnvironment environment);
    }

    private SchemaFactory() {
    }

    static final GraphQLEnumType TIME_GRAIN = enumOf("TimeGrain",
            "Grain de temps (time grain): the period a time dimension is truncated to.", Grain.values());
    static final GraphQLEnumType GEO_LEVEL = enumOf("GeoLevel",
            "Échelon géographique (geographic level): commune, EPCI, département, région.", GeoLevel.values());
    static final GraphQLEnumType OPERATOR = enumOf("FilterOperator",
            "Opérateur de filtre (filter operator). IN, NOT_IN and BETWEEN take `values`, IS_NULL and IS_NOT_NULL"
                    + " nothing, the others `value`.", Operator.values());
    static final GraphQLEnumType DIRECTION = GraphQLEnumType.newEnum().name("SortDirection")
            .description("Sens du tri (sort direction).").value("ASC").value("DESC").build();

    static final GraphQLObjectType TERRITORY = GraphQLObjectType.newObject().name("Territory")
            .description("Un territoire (a territory): the level asked for, its INSEE code and its name.")
            .field(f -> f.name("level").type(GraphQLNonNull.nonNull(GEO_LEVEL)))
            .field(f -> f.name("code").type(Scalars.GraphQLString).description("Code INSEE (INSEE code; SIREN for an"
                    + " EPCI)."))
            .field(f -> f.name("name").type(Scalars.GraphQLString).description("Nom (name)."))
            .build();

    /** Builds the schema; the fetchers of the cube fields and metadata fields call {@code resolvers}. */
    public static GraphQLSchema build(Model model, Resolvers resolvers) {
        GraphQLCodeRegistry.Builder code = GraphQLCodeRegistry.newCodeRegistry();
        GraphQLObjectType.Builder query = GraphQLObjectType.newObject().name("Query")
                .description("Entrepôt's semantic layer: the programme's measures over the published BI file.");

        GraphQLObjectType measureInfo = GraphQLObjectType.newObject().name("MeasureInfo")
                .description("Une mesure (a measure).")
                .field(f -> f.name("name").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(f -> f.name("description").type(Scalars.GraphQLString))
                .field(f -> f.name("type").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("count, count_distinct, sum, avg, min, max or ratio."))
                .field(f -> f.name("dataType").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("integer, float, string, date..."))
                .build();
        GraphQLObjectType dimensionInfo = GraphQLObjectType.newObject().name("DimensionInfo")
                .description("Une dimension (a dimension), the cube's own or a joined cube's (join__dimension).")
                .field(f -> f.name("name").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(f -> f.name("description").type(Scalars.GraphQLString))
                .field(f -> f.name("type").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("categorical, time or geo."))
                .field(f -> f.name("dataType").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(f -> f.name("cube").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("The cube that holds it."))
                .field(f -> f.name("grains").type(nonNullList(TIME_GRAIN)))
                .field(f -> f.name("levels").type(nonNullList(GEO_LEVEL)))
                .build();
        GraphQLObjectType segmentInfo = GraphQLObjectType.newObject().name("SegmentInfo")
                .description("Un segment (a named filter).")
                .field(f -> f.name("name").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(f -> f.name("description").type(Scalars.GraphQLString))
                .build();
        GraphQLObjectType cubeInfo = GraphQLObjectType.newObject().name("CubeInfo")
                .description("Un cube (a cube): what can be measured over one published table, as far as the caller"
                        + " may see.")
                .field(f -> f.name("name").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(f -> f.name("description").type(Scalars.GraphQLString))
                .field(f -> f.name("table").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("The published table it reads."))
                .field(f -> f.name("freshness").type(Scalars.GraphQLString)
                        .description("When its table was published (ISO 8601, UTC)."))
                .field(f -> f.name("national").type(GraphQLNonNull.nonNull(Scalars.GraphQLBoolean))
                        .description("National figures only: no row belongs to a territory."))
                .field(f -> f.name("geography").type(nonNullList(GEO_LEVEL))
                        .description("The levels that place its rows in a territory."))
                .field(f -> f.name("measures").type(nonNullList(measureInfo)))
                .field(f -> f.name("dimensions").type(nonNullList(dimensionInfo)))
                .field(f -> f.name("segments").type(nonNullList(segmentInfo)))
                .build();

        query.field(f -> f.name("cubes").type(nonNullList(cubeInfo))
                .description("Les cubes visibles (the cubes the caller may query, with their measures and dimensions)."));
        code.dataFetcher(FieldCoordinates.coordinates("Query", "cubes"),
                (DataFetcher<?>) env -> resolvers.cubes(null, env));
        query.field(f -> f.name("cube").type(cubeInfo)
                .argument(GraphQLArgument.newArgument().name("name").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .description("Un cube par son nom (one cube; null when it does not exist or may not be seen)."));
        code.dataFetcher(FieldCoordinates.coordinates("Query", "cube"),
                (DataFetcher<?>) env -> resolvers.cubes(env.getArgument("name"), env));
        query.field(f -> f.name("dataVersion").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                .description("Version des données servies (the BI file's publication version now served)."));
        code.dataFetcher(FieldCoordinates.coordinates("Query", "dataVersion"),
                (DataFetcher<?>) resolvers::dataVersion);

        for (Cube cube : model.cubes().values()) {
            query.field(cubeField(model, cube));
            String name = cube.name();
            code.dataFetcher(FieldCoordinates.coordinates("Query", name),
                    (DataFetcher<?>) env -> resolvers.cube(name, env));
        }
        return GraphQLSchema.newSchema().query(query.build()).codeRegistry(code.build())
                .additionalType(CustomScalars.LONG).build();
    }

    private static GraphQLFieldDefinition cubeField(Model model, Cube cube) {
        String type = typeName(cube.name());
        List<DimensionRef> dimensions = model.dimensionRefs(cube);

        GraphQLEnumType.Builder measureEnum = GraphQLEnumType.newEnum().name(type + "Measure")
                .description("Mesures du cube " + cube.name() + " (measures of cube " + cube.name() + ").");
        for (Measure measure : cube.measures().values()) {
            measureEnum.value(measure.name(), measure.name(), measure.description());
        }
        GraphQLObjectType.Builder row = GraphQLObjectType.newObject().name(type + "Row")
                .description("Une ligne de résultat (a result row): the measures and dimensions asked for; the others"
                        + " are null.");
        for (Measure measure : cube.measures().values()) {
            row.field(f -> f.name(measure.name()).type(outputType(measure.outputType()))
                    .description(measure.description()));
        }
        GraphQLEnumType.Builder fieldEnum = GraphQLEnumType.newEnum().name(type + "Field")
                .description("Mesures et dimensions du cube " + cube.name() + ", pour trier (fields to order by).");
        cube.measures().keySet().forEach(m -> fieldEnum.value(m, m));

        GraphQLFieldDefinition.Builder field = GraphQLFieldDefinition.newFieldDefinition().name(cube.name())
                .description(cube.description())
                .argument(GraphQLArgument.newArgument().name("measures")
                        .description("Les mesures (the measures to compute; [] for the dimensions' values only).")
                        .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(measureEnum.build())))));

        if (!dimensions.isEmpty()) {
            GraphQLEnumType.Builder dimensionEnum = GraphQLEnumType.newEnum().name(type + "Dimension")
                    .description("Dimensions du cube " + cube.name() + " (its own, then those of joined cubes as"
                            + " join__dimension).");
            GraphQLEnumType.Builder timeEnum = GraphQLEnumType.newEnum().name(type + "TimeDimension")
                    .description("Dimensions temporelles du cube " + cube.name() + " (time dimensions).");
            boolean hasTime = false;
            for (DimensionRef ref : dimensions) {
                String description = ref.dimension().description();
                dimensionEnum.value(ref.name(), ref.name(), description);
                fieldEnum.value(ref.name(), ref.name());
                GraphQLOutputType output = ref.dimension().kind() == DimensionKind.GEO ? TERRITORY
                        : ref.dimension().kind() == DimensionKind.TIME ? Scalars.GraphQLString
                        : outputType(ref.dimension().type());
                row.field(f -> f.name(ref.name()).type(output).description(description
                        + (ref.dimension().kind() == DimensionKind.TIME ? " First day of the period (YYYY-MM-DD)." : "")));
                if (ref.dimension().kind() == DimensionKind.TIME) {
                    timeEnum.value(ref.name(), ref.name(), description);
                    hasTime = true;
                }
            }
            GraphQLEnumType dimensionType = dimensionEnum.build();
            GraphQLInputObjectType dimensionInput = GraphQLInputObjectType.newInputObject()
                    .name(type + "DimensionInput")
                    .description("Une dimension à grouper (a dimension to group by): grain for a time dimension,"
                            + " level for a geographic one; the finest allowed when omitted.")
                    .field(input("dimension", GraphQLNonNull.nonNull(dimensionType)))
                    .field(input("grain", TIME_GRAIN))
                    .field(input("level", GEO_LEVEL))
                    .build();
            GraphQLInputObjectType filter = GraphQLInputObjectType.newInputObject().name(type + "Filter")
                    .description("Un filtre sur une dimension (a filter on a dimension); level picks the column of a"
                            + " geographic dimension.")
                    .field(input("dimension", GraphQLNonNull.nonNull(dimensionType)))
                    .field(input("level", GEO_LEVEL))
                    .field(input("operator", GraphQLNonNull.nonNull(OPERATOR)))
                    .field(input("value", CustomScalars.FILTER_VALUE))
                    .field(input("values", GraphQLList.list(GraphQLNonNull.nonNull(CustomScalars.FILTER_VALUE))))
                    .build();
            field.argument(GraphQLArgument.newArgument().name("dimensions")
                            .description("Les dimensions (group by these, in this order).")
                            .type(GraphQLList.list(GraphQLNonNull.nonNull(dimensionInput))))
                    .argument(GraphQLArgument.newArgument().name("filters")
                            .description("Les filtres (all must hold).")
                            .type(GraphQLList.list(GraphQLNonNull.nonNull(filter))));
            if (hasTime) {
                GraphQLInputObjectType timeRange = GraphQLInputObjectType.newInputObject().name(type + "TimeRange")
                        .description("Une période (a time range): from and to are dates (YYYY-MM-DD), both included.")
                        .field(input("dimension", GraphQLNonNull.nonNull(timeEnum.build())))
                        .field(input("from", Scalars.GraphQLString))
                        .field(input("to", Scalars.GraphQLString))
                        .build();
                field.argument(GraphQLArgument.newArgument().name("timeRange").type(timeRange));
            }
        }
        if (!cube.segments().isEmpty()) {
            GraphQLEnumType.Builder segmentEnum = GraphQLEnumType.newEnum().name(type + "Segment")
                    .description("Segments du cube " + cube.name() + " (named filters).");
            for (Segment segment : cube.segments().values()) {
                segmentEnum.value(segment.name(), segment.name(), segment.description());
            }
            field.argument(GraphQLArgument.newArgument().name("segments")
                    .type(GraphQLList.list(GraphQLNonNull.nonNull(segmentEnum.build()))));
        }
        GraphQLInputObjectType orderBy = GraphQLInputObjectType.newInputObject().name(type + "OrderBy")
                .description("Un tri (an order): a measure or dimension of the query; then the dimensions ascending.")
                .field(input("field", GraphQLNonNull.nonNull(fieldEnum.build())))
                .field(GraphQLInputObjectField.newInputObjectField().name("direction").type(DIRECTION)
                        .defaultValueProgrammatic("ASC"))
                .build();
        field.argument(GraphQLArgument.newArgument().name("orderBy").type(GraphQLList.list(GraphQLNonNull.nonNull(orderBy))))
                .argument(GraphQLArgument.newArgument().name("limit").type(Scalars.GraphQLInt)
                        .description("Lignes par page (rows per page)."))
                .argument(GraphQLArgument.newArgument().name("offset").type(Scalars.GraphQLInt)
                        .description("Lignes sautées (rows skipped)."));

        GraphQLObjectType result = GraphQLObjectType.newObject().name(type + "Result")
                .description("Le résultat (the result): one page of rows, and whether more exist.")
                .field(f -> f.name("rows").type(nonNullList(row.build())))
                .field(f -> f.name("rowCount").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt))
                        .description("Rows in this page."))
                .field(f -> f.name("hasMore").type(GraphQLNonNull.nonNull(Scalars.GraphQLBoolean))
                        .description("More rows after this page (ask again with offset + limit)."))
                .field(f -> f.name("limit").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)))
                .field(f -> f.name("offset").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)))
                .field(f -> f.name("dataVersion").type(GraphQLNonNull.nonNull(Scalars.GraphQLString))
                        .description("The BI file's version the rows come from."))
                .field(f -> f.name("freshness").type(Scalars.GraphQLString)
                        .description("When the cube's table was published (ISO 8601, UTC)."))
                .build();
        return field.type(result).build();
    }

    /** {@code monthly_kpis} → {@code MonthlyKpis}. */
    public static String typeName(String cube) {
        StringBuilder name = new StringBuilder();
        for (String part : cube.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    private static GraphQLOutputType outputType(DataType type) {
        return switch (type) {
            case INTEGER -> CustomScalars.LONG;
            case FLOAT -> Scalars.GraphQLFloat;
            case BOOLEAN -> Scalars.GraphQLBoolean;
            default -> Scalars.GraphQLString;
        };
    }

    private static GraphQLInputObjectField input(String name, GraphQLInputType type) {
        return GraphQLInputObjectField.newInputObjectField().name(name).type(type).build();
    }

    private static GraphQLNonNull nonNullList(graphql.schema.GraphQLType type) {
        return GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(type)));
    }

    private static GraphQLEnumType enumOf(String name, String description, Enum<?>[] values) {
        GraphQLEnumType.Builder builder = GraphQLEnumType.newEnum().name(name).description(description);
        for (Enum<?> value : values) {
            builder.value(value.name(), value);
        }
        return builder.build();
    }
}
