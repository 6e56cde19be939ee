package fr.zlv.entrepot.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.model.Model;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application served beside the API by {@code entrepot serve}:
 * <ul>
 *   <li>{@code /ui/}: the pages (plain HTML, CSS and JavaScript modules from the jar; ECharts from its WebJar under
 *       {@code /webjars/}); {@code /} leads there;</li>
 *   <li>{@code /api/ui/me}: who the token is; {@code /api/ui/dashboards[/ID]}: the dashboards of
 *       {@code warehouse/dashboards/*.yml}, each chart with the GraphQL query the page sends to {@code /graphql};</li>
 *   <li>{@code /api/ops/...}: assets and their lineage, runs, steps and logs, jobs, schedules and checks; launching,
 *       cancelling and re-executing for the {@value #OPERATOR_ROLE} and admin roles;</li>
 *   <li>{@code /catalog/}: the dbt documentation site.</li>
 * </ul>
 * Every data endpoint asks for the same bearer token as the API (see {@link WebAuth}).
 *
 * <pre>{@code
 * WebUi web = WebUi.create(settings, new WebUi.Sources(definitions, store, orchestrator, docsDir, dashboardsDir,
 *         model));
 * EntrepotServer.start(settings, semantic, store, EntrepotServer.Options.defaults().withWeb(web));
 * }</pre>
 */
public final class WebUi {

    /** The role that may launch runs from the UI (as admin may). */
    public static final String OPERATOR_ROLE = "operator";
    /** Where the pages are. */
    public static final String PATH = "/ui/";

    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
    private static final String JSON = "application/json";

    /**
     * What the UI shows.
     *
     * @param definitions   the orchestrator's assets, jobs and schedules; null: no operations pages
     * @param store         the run store (runs, materializations, checks, schedule states)
     * @param orchestrator  runs launched from the UI run here; null: operations are read-only
     * @param catalog       the dbt project's target directory holding the docs site; null: no catalog
     * @param dashboards    the directory of the dashboards' YAML files; null or missing: no dashboards
     * @param semantic      the semantic model the dashboards' names are checked against at start; null: not checked
     *                      (the API refuses unknown names when a chart asks)
     */
    public record Sources(Definitions definitions, RunStore store, Orchestrator orchestrator, Path catalog,
                          Path dashboards, Model semantic) {
    }

    private final WebAuth auth;
    private final OpsApi ops;
    private final CatalogFiles catalog;
    private final Dashboards dashboards;
    private final ObjectMapper json = new ObjectMapper();

    private WebUi(WebAuth auth, OpsApi ops, CatalogFiles catalog, Dashboards dashboards) {
        this.auth = auth;
        this.ops = ops;
        this.catalog = catalog;
        this.dashboards = dashboards;
    }

    /**
     * Reads what the UI serves.
     *
     * @throws fr.zlv.entrepot.core.EntrepotException when the token settings are wrong, or a dashboard file is (its file, line and key named)
     */
    public static WebUi create(ServeSettings settings, Sources sources) {
        OpsApi ops = sources.definitions() == null ? null
                : new OpsApi(sources.definitions(), sources.store(), sources.orchestrator(), Clock.systemUTC());
        Dashboards dashboards = Dashboards.load(sources.dashboards(), sources.semantic() == null
                ? Dashboards.Names.ANY : Dashboards.of(sources.semantic()));
        return new WebUi(new WebAuth(settings), ops, new CatalogFiles(sources.catalog()), dashboards);
    }

    /** Adds the pages and endpoints to a server's configuration. */
    public void register(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/ui";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        // ECharts, from its WebJar (versioned paths: cached for long).
        config.staticFiles.enableWebjars();
        config.routes.get("/", ctx -> ctx.redirect(PATH));

        config.routes.get("/api/ui/me", handler(this::me));
        config.routes.get("/api/ui/dashboards", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, Map.of("dashboards", dashboards.list()));
        }));
        config.routes.get("/api/ui/dashboards/{id}", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, dashboards.get(ctx.pathParam("id")));
        }));

        config.routes.get("/api/ops/assets", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().assets());
        }));
        config.routes.get("/api/ops/asset", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().asset(ctx.queryParam("key")));
        }));
        config.routes.get("/api/ops/checks", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().checks());
        }));
        config.routes.post("/api/ops/asset/checks", handler(ctx -> {
            WebAuth.requireOperator(auth.principal(ctx));
            writeJson(ctx, 200, ops().runChecks(text(body(ctx), "asset")));
        }));
        config.routes.get("/api/ops/runs", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().runs(ctx.queryParam("job"), limit(ctx.queryParam("limit"))));
        }));
        config.routes.post("/api/ops/runs", handler(this::launch));
        config.routes.get("/api/ops/runs/{id}", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().run(ctx.pathParam("id")));
        }));
        config.routes.get("/api/ops/runs/{id}/events", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().events(ctx.pathParam("id"), after(ctx.queryParam("after"))));
        }));
        config.routes.post("/api/ops/runs/{id}/cancel", handler(ctx -> {
            WebAuth.requireOperator(auth.principal(ctx));
            ops().cancel(ctx.pathParam("id"));
            writeJson(ctx, 202, Map.of("run_id", ctx.pathParam("id")));
        }));
        config.routes.post("/api/ops/runs/{id}/reexecute", handler(ctx -> {
            WebAuth.requireOperator(auth.principal(ctx));
            writeJson(ctx, 201, Map.of("run_id", ops().reexecute(ctx.pathParam("id"))));
        }));
        config.routes.get("/api/ops/jobs", handler(ctx -> {
            auth.principal(ctx);
            writeJson(ctx, 200, ops().jobs());
        }));
        config.routes.post("/api/ops/schedules/{name}", handler(ctx -> {
            WebAuth.requireOperator(auth.principal(ctx));
            JsonNode body = body(ctx);
            JsonNode on = body.get("on");
            if (on == null || !on.isBoolean()) {
                throw WebError.badRequest("Send {\"on\": true} or {\"on\": false}.");
            }
            writeJson(ctx, 200, ops().switchSchedule(ctx.pathParam("name"), on.asBoolean()));
        }));

        // The site's links are relative: its index must be read as /catalog/ (routes ignore trailing slashes).
        config.routes.get("/catalog", ctx -> {
            if (ctx.path().endsWith("/")) {
                catalogPage(ctx, "");
            } else {
                ctx.redirect("/catalog/");
            }
        });
        config.routes.get("/catalog/<path>", ctx -> catalogPage(ctx, ctx.pathParam("path")));
    }

    // Handlers

    @FunctionalInterface
    private interface Endpoint {
        void handle(Context ctx) throws Exception;
    }

    /** An endpoint whose refusals are answered as JSON errors shaped like the API's. */
    private io.javalin.http.Handler handler(Endpoint endpoint) {
        return ctx -> {
            ctx.header("Cache-Control", "no-store");
            try {
                endpoint.handle(ctx);
            } catch (WebError e) {
                writeError(ctx, e);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
                writeError(ctx, new WebError(500, "INTERNAL_SERVER_ERROR",
                        "The server failed to answer; the failure is in its log."));
            }
        };
    }

    private OpsApi ops() throws WebError {
        if (ops == null) {
            throw WebError.notFound("This server has no orchestrator definitions (jobs.yml): no operations to show.");
        }
        return ops;
    }

    private void me(Context ctx) throws Exception {
        Principal principal = auth.principal(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", principal.subject());
        body.put("role", principal.role());
        body.put("territories", principal.territories());
        body.put("can_operate", WebAuth.mayOperate(principal));
        body.put("operations", ops != null);
        body.put("can_launch", ops != null && ops.canLaunch());
        writeJson(ctx, 200, body);
    }

    private void launch(Context ctx) throws Exception {
        WebAuth.requireOperator(auth.principal(ctx));
        JsonNode body = body(ctx);
        String runId;
        if (body.hasNonNull("job")) {
            runId = ops().launchJob(text(body, "job"));
        } else if (body.hasNonNull("assets") && body.get("assets").isArray()) {
            List<String> keys = new java.util.ArrayList<>();
            body.get("assets").forEach(key -> keys.add(key.asText()));
            if (keys.isEmpty()) {
                throw WebError.badRequest("Choose at least one asset to materialize.");
            }
            runId = ops().materialize(OpsApi.selectionOf(keys));
        } else if (body.hasNonNull("selection")) {
            runId = ops().materialize(text(body, "selection"));
        } else {
            throw WebError.badRequest("Send {\"job\": NAME}, {\"assets\": [KEY, ...]} or {\"selection\": EXPRESSION}.");
        }
        writeJson(ctx, 201, Map.of("run_id", runId));
    }

    private void catalogPage(Context ctx, String path) throws Exception {
        try {
            auth.principalOrCookie(ctx);
            catalog.serve(ctx, path);
        } catch (WebError e) {
            if (e.status() == 401) {
                // A page the browser opened: send it to the sign-in, which comes back here.
                ctx.redirect(PATH + "#/signin?next=" + java.net.URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                return;
            }
            ctx.status(e.status()).contentType("text/html; charset=utf-8").result(errorPage(e.getMessage()));
        }
    }

    private static String errorPage(String message) {
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Catalog · Entrepôt</title>"
                + "<link rel=\"stylesheet\" href=\"/ui/app.css\"><main class=\"page\"><h1>Catalog</h1><p role=\"alert\">"
                + escaped + "</p><p><a href=\"/ui/\">Entrepôt</a></p></main></html>";
    }

    // Requests

    private JsonNode body(Context ctx) throws WebError {
        try {
            JsonNode node = json.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw WebError.badRequest("The request body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw WebError.badRequest("The request body must be a JSON object.");
        }
    }

    private static String text(JsonNode body, String field) throws WebError {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw WebError.badRequest("The request needs a text field '" + field + "'.");
        }
        return value.asText();
    }

    private static int limit(String text) throws WebError {
        if (text == null || text.isBlank()) {
            return 50;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw WebError.badRequest("limit must be a number, not '" + text + "'.");
        }
    }

    private static long after(String text) throws WebError {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw WebError.badRequest("after must be a number, not '" + text + "'.");
        }
    }

    // Answers

    private void writeJson(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType(JSON).result(json.writeValueAsBytes(body));
    }

    private void writeError(Context ctx, WebError error) throws JsonProcessingException {
        if (error.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"entrepot\"");
        }
        writeJson(ctx, error.status(), Map.of("errors", List.of(Map.of("message", error.getMessage(),
                "extensions", Map.of("code", error.code())))));
    }
}
