package fr.zlv.entrepot.semantic;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.semantic.access.AccessFile;
import fr.zlv.entrepot.semantic.access.AccessPolicy;
import fr.zlv.entrepot.semantic.access.AccessScope;
import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.semantic.engine.BiDatabase;
import fr.zlv.entrepot.semantic.engine.BiDatabase.Generation;
import fr.zlv.entrepot.semantic.engine.QueryEngine;
import fr.zlv.entrepot.semantic.graphql.CubeResolvers;
import fr.zlv.entrepot.semantic.graphql.DocumentCache;
import fr.zlv.entrepot.semantic.graphql.RequestContext;
import fr.zlv.entrepot.semantic.graphql.SchemaFactory;
import fr.zlv.entrepot.semantic.model.Classification;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.ModelBuilder;
import fr.zlv.entrepot.semantic.model.SemanticFile;
import fr.zlv.entrepot.semantic.query.QueryCompiler;
import fr.zlv.entrepot.semantic.query.QueryException;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.GoodFaithIntrospection;
import graphql.schema.GraphQLObjectType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic layer over a BI file: GraphQL requests in, answers out, with the whole answer cached per data
 * version, request and access scope, so that a repeated request costs a cache look-up.
 */
final class SemanticService implements SemanticApi {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SemanticService.class);

    /** What one version of the BI file is served with: the model checked against its columns, and its schema. */
    record Served(Model model, AccessPolicy policy, QueryCompiler compiler, GraphQL graphQL) {
    }

    /** A whole request, for the response cache. */
    private record ResponseKey(String version, String query, String operationName, Map<String, Object> variables,
                               String scope) {
    }

    private static final Set<String> BAD_REQUEST = Set.of("GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
            "TOO_COMPLEX");

    private final SemanticOptions options;
    private final YamlDocument<SemanticFile> semantic;
    private final YamlDocument<AccessFile> access;
    private final Classification classification;
    private final BiDatabase<Served> database;
    private final QueryEngine engine;
    private final CubeResolvers resolvers;
    private final Cache<ResponseKey, GraphQlResponse> responses;
    private volatile String servedVersion;

    SemanticService(YamlDocument<SemanticFile> semantic, YamlDocument<AccessFile> access,
                    Classification classification, Path biFile, SemanticOptions options) {
        this.options = options;
        this.semantic = semantic;
        this.access = access;
        this.classification = classification;
        this.responses = Caffeine.newBuilder().maximumWeight(options.cachedResponses())
                .weigher((ResponseKey key, GraphQlResponse response) -> (int) Math.min(Integer.MAX_VALUE,
                        response.rows() + 1))
                .build();
        this.resolvers = new CubeResolvers();
        this.database = new BiDatabase<>(biFile, options.poolSize(), options.checkInterval(), options.timeZone(),
                this::serve);
        this.engine = new QueryEngine(database, options.cachedRows());
        this.servedVersion = dataVersion();
    }

    /** Builds what a generation serves; throws (a user-facing message) when the file does not fit the model. */
    private Served serve(Generation<Served> generation) {
        Model model = ModelBuilder.build(semantic, generation.catalog(), classification);
        AccessPolicy policy = AccessPolicy.build(access, model);
        QueryCompiler compiler = new QueryCompiler(model, new QueryCompiler.Limits(options.defaultLimit(),
                options.maxLimit(), options.maxFilterValues()));
        graphql.schema.GraphQLSchema schema;
        try {
            schema = SchemaFactory.build(model, resolvers);
        } catch (RuntimeException e) {
            // Names the model checks cannot foresee, such as two cubes whose GraphQL type names meet.
            throw fr.zlv.entrepot.core.EntrepotException.badInput("The GraphQL schema of " + model.file()
                    + " cannot be built: " + e.getMessage(), "Rename the cubes, measures or dimensions it names.");
        }
        Set<String> cubes = model.cubes().keySet();
        MaxQueryComplexityInstrumentation complexity = new MaxQueryComplexityInstrumentation(options.maxComplexity(),
                (environment, children) -> {
                    boolean cubeQuery = environment.getParentType() instanceof GraphQLObjectType parent
                            && parent.getName().equals("Query") && cubes.contains(environment.getField().getName());
                    return (cubeQuery ? options.cubeFieldCost() : 1) + children;
                });
        GraphQL graphQL = GraphQL.newGraphQL(schema)
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(options.maxDepth()), complexity)))
                .preparsedDocumentProvider(new DocumentCache(options.cachedDocuments()))
                .build();
        return new Served(model, policy, compiler, graphQL);
    }

    @Override
    public GraphQlResponse execute(GraphQlRequest request, Principal principal) {
        if (request == null || request.query() == null || request.query().isBlank()) {
            return failure(400, "invalid", "GRAPHQL_PARSE_FAILED", "The request has no query.");
        }
        try (Generation<Served> generation = database.acquire()) {
            if (!generation.version().equals(servedVersion)) {
                // A new version of the file: nothing cached before can be served again.
                servedVersion = generation.version();
                responses.invalidateAll();
                engine.clear();
            }
            Served served = generation.served();
            AccessScope scope;
            try {
                scope = AccessScope.of(served.policy(), principal);
            } catch (QueryException e) {
                return failure(403, "denied", e.code(), e.getMessage());
            }
            ResponseKey key = new ResponseKey(generation.version(), request.query(), request.operationName(),
                    request.variables(), scope.key());
            GraphQlResponse cached = responses.getIfPresent(key);
            if (cached != null) {
                return new GraphQlResponse(cached.body(), cached.httpStatus(), cached.rows(), cached.outcome(), true,
                        cached.queried());
            }
            GraphQlResponse response = run(request, scope, generation, served);
            if (response.httpStatus() != 500) {
                // The key keeps its own copy of the variables: the caller's map may change after the call.
                responses.put(new ResponseKey(key.version(), key.query(), key.operationName(),
                        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(request.variables())), key.scope()),
                        response);
            }
            return response;
        }
    }

    private GraphQlResponse run(GraphQlRequest request, AccessScope scope, Generation<Served> generation,
                                Served served) {
        RequestContext context = new RequestContext(scope, generation, served.model(), served.compiler(), engine);
        ExecutionInput.Builder input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .variables(request.variables())
                .graphQLContext(builder -> builder.put(RequestContext.class, context));
        if (request.operationName() != null && !request.operationName().isBlank()) {
            input.operationName(request.operationName());
        }
        ExecutionResult result = served.graphQL().execute(input.build());

        List<Map<String, Object>> errors = new ArrayList<>();
        Set<String> codes = new java.util.HashSet<>();
        for (GraphQLError error : result.getErrors()) {
            String code = code(error);
            codes.add(code);
            Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
            @SuppressWarnings("unchecked")
            Map<String, Object> extensions = spec.get("extensions") instanceof Map<?, ?> given
                    ? new LinkedHashMap<>((Map<String, Object>) given) : new LinkedHashMap<>();
            extensions.put("code", code);
            spec.put("extensions", extensions);
            boolean ours = error.getExtensions() != null && error.getExtensions().containsKey("code");
            if (code.equals(CubeResolvers.INTERNAL_ERROR) && !ours) {
                // An unexpected exception: its message could quote SQL or data; the log has it.
                LOG.error("GraphQL request failed: {}", error.getMessage());
                spec.put("message", "Internal error.");
            }
            errors.add(spec);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        if (result.isDataPresent()) {
            body.put("data", result.getData());
        }
        body.put("extensions", Map.of("dataVersion", generation.version()));

        int status;
        String outcome;
        if (codes.stream().anyMatch(BAD_REQUEST::contains)) {
            status = 400;
            outcome = "invalid";
        } else if (codes.contains(QueryException.FORBIDDEN)) {
            status = 403;
            outcome = "denied";
        } else if (codes.contains(CubeResolvers.INTERNAL_ERROR)) {
            status = 500;
            outcome = "error";
        } else {
            status = 200;
            outcome = codes.isEmpty() ? "ok" : "invalid";
        }
        return new GraphQlResponse(java.util.Collections.unmodifiableMap(body), status, context.rows(), outcome,
                context.allCached(), context.cubes());
    }

    /** The {@code extensions.code} of an error. */
    private static String code(GraphQLError error) {
        if (error instanceof AbortExecutionException || error instanceof GoodFaithIntrospection.BadFaithIntrospectionError
                || error.getErrorType() == ErrorType.ExecutionAborted) {
            return "TOO_COMPLEX";
        }
        if (error.getErrorType() == ErrorType.InvalidSyntax) {
            return "GRAPHQL_PARSE_FAILED";
        }
        if (error.getErrorType() == ErrorType.ValidationError) {
            return "GRAPHQL_VALIDATION_FAILED";
        }
        if (error.getExtensions() != null && error.getExtensions().get("code") instanceof String code) {
            return code;
        }
        return CubeResolvers.INTERNAL_ERROR;
    }

    private static GraphQlResponse failure(int status, String outcome, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", Map.of("code", code));
        return new GraphQlResponse(Map.of("errors", List.of(error)), status, 0, outcome, false, List.of());
    }

    @Override
    public String dataVersion() {
        try (Generation<Served> generation = database.acquire()) {
            return generation.version();
        }
    }

    @Override
    public void close() {
        engine.close();
        database.close();
    }
}
