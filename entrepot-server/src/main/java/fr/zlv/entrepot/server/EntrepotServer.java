package fr.zlv.entrepot.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.store.AuditQuery;
import fr.zlv.entrepot.orchestrator.store.AuditRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.server.auth.InvalidTokenException;
import fr.zlv.entrepot.server.auth.TokenVerifier;
import fr.zlv.entrepot.server.web.WebUi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code entrepot serve} (Javalin on Jetty):
 * <ul>
 *   <li>{@code POST /graphql} (JSON {@code {query, operationName, variables}}) and {@code GET /graphql?query=…}: the
 *       semantic layer's GraphQL API, for a bearer token (JWT), limited per subject, audited;</li>
 *   <li>{@code GET /api/audit?subject=&since=&until=&outcome=&limit=}: the audit log, for the roles with
 *       {@code audit_log: true} in access.yml;</li>
 *   <li>{@code GET /metrics}: Prometheus metrics; {@code GET /health}: liveness and the data version (no token).</li>
 * </ul>
 * Errors the server raises itself are GraphQL-shaped: {@code {"errors":[{"message":…,"extensions":{"code":…}}]}}.
 */
public final class EntrepotServer implements AutoCloseable {

    /** The role that may read the audit log unless access.yml says which do. */
    public static final String ADMIN_ROLE = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(EntrepotServer.class);
    private static final String JSON = "application/json";
    private static final int MAX_AUDIT_LIMIT = 1_000;
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /**
     * What may differ from {@link #defaults()}.
     *
     * @param jwksMinRefreshInterval the shortest time between two fetches of the provider's key set
     * @param graphqlThreads         GraphQL requests executed at once (others wait in a queue)
     * @param auditRoles             the roles that may read the audit log ({@code audit_log: true} in access.yml)
     * @param web                    the web UI and dashboards served beside the API (package {@code web}); null: the
     *                               API only
     */
    public record Options(Duration jwksMinRefreshInterval, int graphqlThreads, Set<String> auditRoles, Clock clock,
                          WebUi web) {
        public Options {
            auditRoles = Set.copyOf(auditRoles);
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
                    Set.of(ADMIN_ROLE), Clock.systemUTC(), null);
        }

        public Options withJwksMinRefreshInterval(Duration interval) {
            return new Options(interval, graphqlThreads, auditRoles, clock, web);
        }

        public Options withAuditRoles(Set<String> roles) {
            return new Options(jwksMinRefreshInterval, graphqlThreads, roles, clock, web);
        }

        public Options withWeb(WebUi newWeb) {
            return new Options(jwksMinRefreshInterval, graphqlThreads, auditRoles, clock, newWeb);
        }
    }

    private final ServeSettings settings;
    private final SemanticApi semantic;
    private final RunStore store;
    private final Clock clock;
    private final Set<String> auditRoles;
    private final TokenVerifier verifier;
    private final RateLimiter rateLimiter;
    private final AuditWriter audit;
    private final ServerMetrics metrics = new ServerMetrics();
    private final StoreMetrics storeMetrics;
    private final ThreadPoolExecutor graphqlPool;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Javalin app;

    private EntrepotServer(ServeSettings settings, SemanticApi semantic, RunStore store, Options options) {
        this.settings = settings;
        this.semantic = semantic;
        this.store = store;
        this.clock = options.clock();
        this.auditRoles = options.auditRoles();
        this.verifier = new TokenVerifier(settings, options.jwksMinRefreshInterval());
        this.rateLimiter = new RateLimiter(settings.rateLimitPerMinute());
        this.audit = new AuditWriter(store);
        metrics.watch(audit);
        this.storeMetrics = new StoreMetrics(store, metrics.registry, clock);
        AtomicInteger threadNumber = new AtomicInteger();
        this.graphqlPool = new ThreadPoolExecutor(options.graphqlThreads(), options.graphqlThreads(), 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(4_096), runnable -> {
            Thread thread = new Thread(runnable, "entrepot-graphql-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.routes.get("/health", handler("/health", this::health));
            config.routes.get("/metrics", handler("/metrics", this::metricsPage));
            config.routes.post("/graphql", handler("/graphql", this::graphql));
            config.routes.get("/graphql", handler("/graphql", this::graphql));
            config.routes.get("/api/audit", handler("/api/audit", this::auditPage));
            if (options.web() != null) {
                options.web().register(config);
            }
            // A path the server does not have (the web UI's endpoints answer their own 404s, e.g. an unknown run).
            config.routes.error(404, ctx -> {
                if (ctx.endpoints().matchedHttpEndpoint() != null) {
                    return;
                }
                metrics.error("unmatched", "NOT_FOUND");
                writeError(ctx, new ApiException(404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " "
                        + ctx.path() + " (the API is POST /graphql)."));
            });
        });
    }

    /**
     * Starts a server on {@code settings.host():settings.port()} (port 0: any free port).
     *
     * @throws EntrepotException when the token settings are wrong (short secret, no secret nor JWKS URL) or the port
     *                           cannot be had
     */
    public static EntrepotServer start(ServeSettings settings, SemanticApi semantic, RunStore store) {
        return start(settings, semantic, store, Options.defaults());
    }

    public static EntrepotServer start(ServeSettings settings, SemanticApi semantic, RunStore store, Options options) {
        EntrepotServer server = new EntrepotServer(settings, semantic, store, options);
        try {
            server.app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            server.close();
            throw EntrepotException.badInput("Cannot listen on " + settings.host() + ":" + settings.port() + ": "
                            + rootMessage(e),
                    "Another process may hold the port: choose another with serve.port (ENTREPOT_SERVE_PORT) or"
                            + " --port, or stop that process.");
        }
        LOG.info("Serving the GraphQL API at {}", server.url().resolve("/graphql"));
        return server;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    public int port() {
        return app.port();
    }

    /** The server's root URL, e.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Waits until every audit record so far is in the run store. */
    public void flushAudit() {
        audit.flush();
    }

    @Override
    public void close() {
        app.stop();
        graphqlPool.shutdownNow();
        audit.close();
    }

    // Handlers

    @FunctionalInterface
    private interface Endpoint {
        void handle(Context ctx) throws Exception;
    }

    /** An endpoint timed into the latency histogram, its refusals answered as JSON errors. */
    private io.javalin.http.Handler handler(String route, Endpoint endpoint) {
        return ctx -> {
            long started = System.nanoTime();
            try {
                endpoint.handle(ctx);
            } catch (ApiException e) {
                metrics.error(route, e.code());
                writeError(ctx, e);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
                metrics.error(route, "INTERNAL_SERVER_ERROR");
                writeError(ctx, new ApiException(500, "INTERNAL_SERVER_ERROR",
                        "The server failed to answer; the failure is in its log."));
            } finally {
                metrics.request(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - started);
            }
        };
    }

    private void health(Context ctx) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("data_version", semantic.dataVersion());
        writeJson(ctx, 200, body);
    }

    private void metricsPage(Context ctx) {
        storeMetrics.refreshIfStale();
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.registry.scrape());
    }

    private Principal authenticate(Context ctx) throws ApiException {
        try {
            return verifier.verify(ctx.header("Authorization"));
        } catch (InvalidTokenException e) {
            String challenge = e.missing() ? "Bearer realm=\"entrepot\""
                    : "Bearer realm=\"entrepot\", error=\"invalid_token\", error_description=\""
                    + e.getMessage().replace("\"", "'") + "\"";
            throw new ApiException(401, "UNAUTHENTICATED", e.getMessage(), Map.of("WWW-Authenticate", challenge));
        }
    }

    private void limit(Principal principal) throws ApiException {
        RateLimiter.Decision decision = rateLimiter.tryAcquire(principal.subject());
        if (!decision.allowed()) {
            throw new ApiException(429, "RATE_LIMITED", "Too many requests for " + principal.subject() + ": at most "
                    + settings.rateLimitPerMinute() + " a minute; try again in " + decision.retryAfterSeconds()
                    + " s.", Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
        }
    }

    private void graphql(Context ctx) throws Exception {
        Principal principal = authenticate(ctx);
        limit(principal);
        long started = System.nanoTime();
        Instant at = clock.instant();
        GraphQlRequest request = null;
        try {
            request = ctx.method().name().equals("GET") ? requestFromQuery(ctx) : requestFromBody(ctx);
            GraphQlResponse response = execute(request, principal);
            metrics.graphql(response.outcome(), response.rows(), !response.queried().isEmpty(), response.cacheHit());
            writeJson(ctx, response.httpStatus(), response.body());
            audit(at, principal, request, response.rows(), response.outcome(), response.httpStatus(), started,
                    response.queried(), ctx);
        } catch (ApiException e) {
            String outcome = switch (e.status()) {
                case 503 -> "timeout";
                case 400, 413 -> "invalid";
                default -> "error";
            };
            metrics.graphql(outcome, 0, false, false);
            audit(at, principal, request, 0, outcome, e.status(), started, List.of(), ctx);
            throw e;
        }
    }

    private GraphQlResponse execute(GraphQlRequest request, Principal principal) throws ApiException {
        Future<GraphQlResponse> future;
        try {
            future = graphqlPool.submit(() -> semantic.execute(request, principal));
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "BUSY", "The server has too many requests waiting; try again shortly.",
                    Map.of("Retry-After", "1"));
        }
        try {
            return future.get(settings.queryTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Interrupts the query: the semantic layer stops it and frees its connection.
            future.cancel(true);
            throw new ApiException(503, "TIMEOUT", "The query ran longer than " + settings.queryTimeoutSeconds()
                    + " s and was stopped; ask for less (fewer dimensions, a narrower filter).");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "TIMEOUT", "The server is stopping.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    private GraphQlRequest requestFromQuery(Context ctx) throws ApiException {
        String query = ctx.queryParam("query");
        if (query == null || query.isBlank()) {
            throw ApiException.badRequest("A GraphQL request needs a query: GET /graphql?query=... or POST a JSON"
                    + " object {\"query\": ...}.");
        }
        String variables = ctx.queryParam("variables");
        Map<String, Object> parsed = null;
        if (variables != null && !variables.isBlank()) {
            try {
                parsed = json.readValue(variables, JSON_OBJECT);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("The variables parameter must be a JSON object: "
                        + e.getOriginalMessage());
            }
        }
        return new GraphQlRequest(query, ctx.queryParam("operationName"), parsed);
    }

    private GraphQlRequest requestFromBody(Context ctx) throws ApiException, IOException {
        byte[] body = readBody(ctx);
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("The request body must be a JSON object {\"query\": ..., \"variables\":"
                    + " {...}}: " + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object {\"query\": ..., \"variables\":"
                    + " {...}}.");
        }
        JsonNode query = tree.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw ApiException.badRequest("The request has no query: send {\"query\": \"{ ... }\"}.");
        }
        JsonNode operation = tree.get("operationName");
        if (operation != null && !operation.isNull() && !operation.isTextual()) {
            throw ApiException.badRequest("operationName must be a string.");
        }
        JsonNode variables = tree.get("variables");
        Map<String, Object> parsed = null;
        if (variables != null && !variables.isNull()) {
            if (!variables.isObject()) {
                throw ApiException.badRequest("variables must be a JSON object.");
            }
            parsed = json.convertValue(variables, JSON_OBJECT);
        }
        return new GraphQlRequest(query.asText(), operation == null || operation.isNull() ? null : operation.asText(),
                parsed);
    }

    /** The body, refused with 413 beyond {@code max_body_bytes} without reading more than that. */
    private byte[] readBody(Context ctx) throws ApiException, IOException {
        int max = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        }
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "The request body is larger than " + max + " bytes.");
    }

    private void audit(Instant at, Principal principal, GraphQlRequest request, long rows, String outcome, int status,
                       long startedNanos, List<String> cubes, Context ctx) {
        String variables = null;
        if (request != null && !request.variables().isEmpty()) {
            try {
                variables = json.writeValueAsString(request.variables());
            } catch (JsonProcessingException e) {
                variables = String.valueOf(request.variables());
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        audit.append(AuditRecord.of(at, principal.subject(), principal.role(), request == null ? null : request.query(),
                variables, rows, outcome, status, millis, cubes, ctx.ip()));
    }

    private void auditPage(Context ctx) throws Exception {
        Principal principal = authenticate(ctx);
        limit(principal);
        if (!auditRoles.contains(principal.role())) {
            throw new ApiException(403, "FORBIDDEN", "The audit log is for the roles with audit_log: true in"
                    + " access.yml (" + String.join(", ", new java.util.TreeSet<>(auditRoles)) + "); this token's role"
                    + " is " + principal.role() + ".");
        }
        AuditQuery query = AuditQuery.latest(limitParameter(ctx.queryParam("limit")));
        Instant now = clock.instant();
        try {
            if (present(ctx.queryParam("subject"))) {
                query = query.withSubject(ctx.queryParam("subject").strip());
            }
            if (present(ctx.queryParam("since"))) {
                query = query.withSince(TimeFilter.parse(ctx.queryParam("since"), now));
            }
            if (present(ctx.queryParam("until"))) {
                query = query.withUntil(TimeFilter.parse(ctx.queryParam("until"), now));
            }
        } catch (EntrepotException e) {
            throw ApiException.badRequest(e.getMessage() + " " + e.hint());
        }
        if (present(ctx.queryParam("outcome"))) {
            query = query.withOutcome(ctx.queryParam("outcome").strip());
        }
        // What was asked just before is in the answer.
        audit.flush();
        List<Map<String, Object>> records = new ArrayList<>();
        for (AuditRecord record : store.audit(query)) {
            records.add(auditJson(record));
        }
        writeJson(ctx, 200, Map.of("records", records));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static int limitParameter(String text) throws ApiException {
        if (!present(text)) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_AUDIT_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw ApiException.badRequest("limit must be a number from 1 to " + MAX_AUDIT_LIMIT + ", not '" + text + "'.");
    }

    /** An audit record as the API and {@code entrepot audit list --json} show it. */
    public static Map<String, Object> auditJson(AuditRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", record.id());
        map.put("time", record.time().toString());
        map.put("subject", record.subject());
        map.put("role", record.role());
        map.put("query", record.query());
        map.put("variables", record.variables());
        map.put("rows", record.rows());
        map.put("outcome", record.outcome());
        map.put("status", record.status());
        map.put("duration_ms", record.durationMillis());
        map.put("cubes", record.cubes());
        map.put("client_address", record.clientAddress());
        return map;
    }

    // Writing answers

    private void writeJson(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType(JSON).result(json.writeValueAsBytes(body));
    }

    private void writeError(Context ctx, ApiException error) {
        error.headers().forEach(ctx::header);
        Map<String, Object> body = Map.of("errors", List.of(Map.of("message", error.getMessage(),
                "extensions", Map.of("code", error.code()))));
        try {
            writeJson(ctx, error.status(), body);
        } catch (JsonProcessingException e) {
            ctx.status(error.status()).contentType(JSON).result(
                    ("{\"errors\":[{\"message\":\"error\",\"extensions\":{\"code\":\"" + error.code() + "\"}}]}")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }
}
