package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.SemanticOptions;
import fr.zlv.entrepot.semantic.access.AccessPolicy;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.server.EntrepotServer;
import fr.zlv.entrepot.server.auth.TokenVerifier;
import fr.zlv.entrepot.server.web.WebUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the GraphQL API and the web UI (dashboards, lineage, runs, catalog) over the published BI file, until Ctrl-C.",
                "POST /graphql (bearer token: entrepot token issue), GET /metrics (Prometheus), GET /health,"
                        + " GET /api/audit (role admin).",
                "Tokens: HS256 with ENTREPOT_JWT_SECRET, or RS256/ES256 of an OIDC provider (ENTREPOT_JWT_JWKS_URL)."})
final class ServeCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @Option(names = "--host", description = "Listen on this address (default: serve.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Listen on this port (default: serve.port, 8080; 0: any free port).")
    Integer port;

    @Override
    public void run() {
        LoadedSettings loaded = root.settings();
        ServeSettings serve = loaded.settings().serve();
        if (host != null || port != null) {
            if (port != null && (port < 0 || port > 65_535)) {
                throw EntrepotException.badInput("--port " + port + " is not a port.", "Give 1 to 65535, or 0 for any"
                        + " free port.");
            }
            serve = serve.withAddress(host != null ? host : serve.host(), port != null ? port : serve.port());
        }
        Running running = start(loaded.settings(), serve);
        // Ctrl-C (or SIGTERM) stops the server: requests in flight finish, the audit records queued are written.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "entrepot-serve-stop"));
        System.out.println("Entrepôt API on " + running.server().url() + "graphql (data: " + serve.database()
                + ", version " + running.semantic().dataVersion() + ")");
        System.out.println("  metrics " + running.server().url() + "metrics, health " + running.server().url()
                + "health, audit " + running.server().url() + "api/audit; run store " + running.store().location());
        System.out.println("Web UI on " + running.server().url().resolve(WebUi.PATH) + " (sign in with a token:"
                + " entrepot token issue --role operator; or open " + running.server().url().resolve(WebUi.PATH)
                + "?token=TOKEN once)");
        System.out.println("Ctrl-C stops it.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A running server with what it holds open; closing it stops the server and closes them. */
    record Running(EntrepotServer server, SemanticApi semantic, RunStore store, ServeWeb web)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            web.close();
            semantic.close();
            store.close();
        }
    }

    /**
     * Opens the semantic layer over {@code serve.database()}, the run store of the settings, and starts the server.
     *
     * @throws EntrepotException when the database, the semantic files or the token settings are wrong
     */
    static Running start(Settings settings, ServeSettings serve) {
        TokenVerifier.checkSettings(serve);
        Path database = Path.of(serve.database());
        if (!Files.isRegularFile(database)) {
            throw EntrepotException.badInput("The database the API reads, " + database + ", does not exist.",
                    "Publish first (entrepot publish --target bi), or point serve.database (ENTREPOT_SERVE_DATABASE)"
                            + " at a DuckDB file.");
        }
        SemanticApi semantic = openSemantic(settings, serve);
        RunStore store = null;
        ServeWeb web = null;
        try {
            store = RunStores.open(settings.orchestrator().store());
            web = ServeWeb.open(settings, serve);
            EntrepotServer.Options options = EntrepotServer.Options.defaults().withAuditRoles(auditRoles(serve))
                    .withWeb(web.ui());
            return new Running(EntrepotServer.start(serve, semantic, store, options), semantic, store, web);
        } catch (RuntimeException e) {
            if (web != null) {
                web.close();
            }
            semantic.close();
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /** The semantic layer of serve.semantic and serve.access over serve.database. */
    private static SemanticApi openSemantic(Settings settings, ServeSettings serve) {
        Path dbtProject = Path.of(settings.transform().projectDir());
        Path publishYml = Path.of(settings.publish().tables());
        return Semantic.open(Path.of(serve.semantic()), Path.of(serve.access()),
                Files.isRegularFile(dbtProject.resolve("dbt_project.yml")) ? dbtProject : null,
                Files.isRegularFile(publishYml) ? publishYml : null, Path.of(serve.database()),
                SemanticOptions.defaults());
    }

    /** The roles access.yml lets read the audit log ({@code audit_log: true}). */
    static Set<String> auditRoles(ServeSettings serve) {
        Set<String> roles = new TreeSet<>();
        AccessPolicy.read(Path.of(serve.access())).value().roles().forEach((name, role) -> {
            if (Boolean.TRUE.equals(role.auditLog())) {
                roles.add(name);
            }
        });
        return roles;
    }
}
