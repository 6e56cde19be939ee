package fr.zlv.entrepot.semantic.graphql;

import fr.zlv.entrepot.semantic.access.AccessPolicy.Role;
import fr.zlv.entrepot.semantic.engine.QueryEngine.QueryResult;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.Model.Cube;
import fr.zlv.entrepot.semantic.model.Model.DimensionRef;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.model.Model.Grain;
import fr.zlv.entrepot.semantic.model.Model.Level;
import fr.zlv.entrepot.semantic.model.Model.Operator;
import fr.zlv.entrepot.semantic.query.CompiledQuery;
import fr.zlv.entrepot.semantic.query.QueryException;
import fr.zlv.entrepot.semantic.query.SemanticQuery;
import fr.zlv.entrepot.semantic.query.SemanticQuery.DimensionChoice;
import fr.zlv.entrepot.semantic.query.SemanticQuery.Filter;
import fr.zlv.entrepot.semantic.query.SemanticQuery.Order;
import fr.zlv.entrepot.semantic.query.SemanticQuery.TimeRange;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fetchers of the generated schema: cube queries and metadata, for the principal of the request. */
public final class CubeResolvers implements SchemaFactory.Resolvers {

    private static final Logger LOG = LoggerFactory.getLogger(CubeResolvers.class);
    public static final String INTERNAL_ERROR = "INTERNAL_SERVER_ERROR";


    @Override
    public Object cube(String cube, DataFetchingEnvironment environment) {
        RequestContext context = environment.getGraphQlContext().get(RequestContext.class);
        CompiledQuery compiled = null;
        try {
            SemanticQuery query = query(cube, environment);
            compiled = context.compiler().compile(query, context.scope(), context.generation().alias());
            QueryResult result = context.engine().execute(context.generation(), compiled);
            context.recordQuery(compiled.cubes(), result.rows().size(), result.cacheHit());
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("rows", result.rows());
            page.put("rowCount", result.rows().size());
            page.put("hasMore", result.hasMore());
            page.put("limit", compiled.limit());
            page.put("offset", query.offset() == null ? 0 : query.offset());
            page.put("dataVersion", context.generation().version());
            page.put("freshness", freshness(context, context.model().cubes().get(cube)));
            return page;
        } catch (QueryException e) {
            return DataFetcherResult.newResult().error(error(environment, e.code(), e.getMessage())).build();
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                // The caller gave up (the server's timeout): the statement was cancelled, nobody reads this.
                LOG.info("Query on cube {} stopped: its caller gave up", cube);
                return DataFetcherResult.newResult().error(error(environment, INTERNAL_ERROR,
                        "The query was stopped.")).build();
            }
            // Never the database's message to the caller: it could quote the SQL. The log has it, under an id.
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Query {} on cube {} failed: {}{}", id, cube, e.getMessage(),
                    compiled == null ? "" : "\nSQL: " + compiled.sql(), e);
            return DataFetcherResult.newResult().error(error(environment, INTERNAL_ERROR,
                    "The query failed on the server (error " + id + " in its log).")).build();
        }
    }

    @Override
    public Object cubes(String name, DataFetchingEnvironment environment) {
        RequestContext context = environment.getGraphQlContext().get(RequestContext.class);
        Model model = context.model();
        Role role = context.scope().role();
        List<Map<String, Object>> cubes = new ArrayList<>();
        for (Cube cube : model.cubes().values()) {
            if ((name != null && !name.equals(cube.name())) || !role.mayQuery(cube.name())) {
                continue;
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", cube.name());
            info.put("description", cube.description());
            info.put("table", cube.table());
            info.put("freshness", freshness(context, cube));
            info.put("national", cube.national());
            info.put("geography", List.copyOf(cube.geography().keySet()));
            List<Map<String, Object>> measures = new ArrayList<>();
            cube.measures().values().stream().filter(m -> role.mayUseMeasure(cube.name(), m.name())).forEach(m -> {
                Map<String, Object> measure = new LinkedHashMap<>();
                measure.put("name", m.name());
                measure.put("description", m.description());
                measure.put("type", m.kind().label());
                measure.put("dataType", m.outputType().label());
                measures.add(measure);
            });
            info.put("measures", measures);
            List<Map<String, Object>> dimensions = new ArrayList<>();
            for (DimensionRef ref : model.dimensionRefs(cube)) {
                if (!role.mayQuery(ref.owner().name())
                        || !role.mayUseDimension(ref.owner().name(), ref.dimension().name())) {
                    continue;
                }
                Map<String, Object> dimension = new LinkedHashMap<>();
                dimension.put("name", ref.name());
                dimension.put("description", ref.dimension().description());
                dimension.put("type", ref.dimension().kind().label());
                dimension.put("dataType", ref.dimension().type().label());
                dimension.put("cube", ref.owner().name());
                dimension.put("grains", ref.dimension().grains());
                dimension.put("levels", ref.dimension().levels().stream().map(Level::level).toList());
                dimensions.add(dimension);
            }
            info.put("dimensions", dimensions);
            List<Map<String, Object>> segments = new ArrayList<>();
            cube.segments().values().stream().filter(s -> role.mayUseSegment(cube.name(), s.name())).forEach(s ->
                    segments.add(Map.of("name", s.name(), "description", s.description())));
            info.put("segments", segments);
            cubes.add(info);
        }
        if (name != null) {
            return cubes.isEmpty() ? null : cubes.get(0);
        }
        return cubes;
    }

    @Override
    public Object dataVersion(DataFetchingEnvironment environment) {
        RequestContext context = environment.getGraphQlContext().get(RequestContext.class);
        return context.generation().version();
    }

    private static String freshness(RequestContext context, Cube cube) {
        Instant published = context.generation().freshness().get(cube.table());
        return published == null ? null : published.toString();
    }

    static GraphQLError error(DataFetchingEnvironment environment, String code, String message) {
        return GraphqlErrorBuilder.newError(environment).message(message).extensions(Map.of("code", code)).build();
    }

    /** The GraphQL arguments of a cube field as a semantic query (names only; the compiler checks them). */
    @SuppressWarnings("unchecked")
    static SemanticQuery query(String cube, DataFetchingEnvironment environment) {
        List<String> measures = environment.getArgumentOrDefault("measures", List.of());
        List<DimensionChoice> dimensions = new ArrayList<>();
        for (Map<String, Object> dimension : list(environment.getArgument("dimensions"))) {
            dimensions.add(new DimensionChoice((String) dimension.get("dimension"), (Grain) dimension.get("grain"),
                    (GeoLevel) dimension.get("level")));
        }
        List<Filter> filters = new ArrayList<>();
        for (Map<String, Object> filter : list(environment.getArgument("filters"))) {
            filters.add(new Filter((String) filter.get("dimension"), (GeoLevel) filter.get("level"),
                    (Operator) filter.get("operator"), filter.get("value"), (List<Object>) filter.get("values")));
        }
        TimeRange timeRange = null;
        Map<String, Object> range = environment.getArgument("timeRange");
        if (range != null) {
            timeRange = new TimeRange((String) range.get("dimension"), (String) range.get("from"),
                    (String) range.get("to"));
        }
        List<Order> orders = new ArrayList<>();
        for (Map<String, Object> order : list(environment.getArgument("orderBy"))) {
            orders.add(new Order((String) order.get("field"), "DESC".equals(order.get("direction"))));
        }
        List<String> segments = environment.getArgumentOrDefault("segments", List.of());
        return new SemanticQuery(cube, measures, dimensions, filters, timeRange, segments == null ? List.of()
                : segments, orders, environment.getArgument("limit"), environment.getArgument("offset"));
    }

    private static List<Map<String, Object>> list(Object argument) {
        if (argument == null) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) argument;
        return list;
    }
}
