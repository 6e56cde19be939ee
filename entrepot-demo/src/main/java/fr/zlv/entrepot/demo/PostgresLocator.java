package fr.zlv.entrepot.demo;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a PostgreSQL server for the demo and the tests, in this order: the URL given in the settings
 * ({@code demo.postgres_url}), a server on 127.0.0.1:5432 (user {@code postgres}, then the system
 * user), and finally an embedded PostgreSQL started for this process.
 */
public final class PostgresLocator {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLocator.class);

    private PostgresLocator() {
    }

    /**
     * @param configuredUrl {@code postgresql://user:password@host:port} or a {@code jdbc:postgresql://} URL
     *                      with {@code user}/{@code password} parameters; null to look for one
     * @param embeddedHome  where an embedded server keeps its files
     */
    public static PostgresServer find(String configuredUrl, Path embeddedHome) {
        if (configuredUrl != null) {
            PostgresServer server = fromUrl(configuredUrl);
            String version = probe(server).orElseThrow(problem -> EntrepotException.failed(
                    "Cannot use the PostgreSQL server of demo.postgres_url (" + server.host() + ":" + server.port()
                            + "): " + problem, "Check the URL, the server and the user's rights (it must be able"
                            + " to create a database and a role).", null));
            return describe(server, version, "configured");
        }
        List<String> tried = new ArrayList<>();
        for (String user : localUsers()) {
            PostgresServer local = new PostgresServer("127.0.0.1", 5432, user, Secret.empty(), "");
            Probe probe = probe(local);
            if (probe.ok()) {
                return describe(local, probe.value(), "running");
            }
            tried.add("127.0.0.1:5432 as " + user + ": " + probe.value());
        }
        LOG.info("No PostgreSQL found ({}); starting an embedded one", tried);
        return startEmbedded(embeddedHome, tried);
    }

    private static List<String> localUsers() {
        List<String> users = new ArrayList<>(List.of("postgres"));
        String system = System.getProperty("user.name");
        if (system != null && !users.contains(system)) {
            users.add(system);
        }
        return users;
    }

    private static PostgresServer describe(PostgresServer server, String version, String how) {
        return server.describedAs(version + " at " + server.host() + ":" + server.port() + " (" + how + ")");
    }

    static PostgresServer fromUrl(String url) {
        String text = url.startsWith("jdbc:") ? url.substring(5) : url;
        try {
            URI uri = URI.create(text.replaceFirst("^postgres(ql)?://", "postgresql://"));
            String user = "postgres";
            String password = "";
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : "";
            }
            if (uri.getQuery() != null) {
                for (String parameter : uri.getQuery().split("&")) {
                    String[] pair = parameter.split("=", 2);
                    if (pair[0].equals("user") && pair.length > 1) {
                        user = pair[1];
                    } else if (pair[0].equals("password") && pair.length > 1) {
                        password = pair[1];
                    }
                }
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            return new PostgresServer(uri.getHost(), port, user, Secret.of(password), uri.getHost() + ":" + port);
        } catch (IllegalArgumentException e) {
            throw EntrepotException.badInput("demo.postgres_url is not a PostgreSQL URL: " + e.getMessage() + ".",
                    "Write it as postgresql://user:password@host:5432 (the password may be left out).");
        }
    }

    /** The server's version, or why it cannot be used. */
    private record Probe(boolean ok, String value) {
        <X extends RuntimeException> String orElseThrow(java.util.function.Function<String, X> failure) {
            if (!ok) {
                throw failure.apply(value);
            }
            return value;
        }
    }

    private static Probe probe(PostgresServer server) {
        try (Connection connection = server.connect("postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('server_version'),"
                     + " (SELECT rolcreatedb AND rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            rows.next();
            if (!rows.getBoolean(2)) {
                return new Probe(false, "user " + server.adminUser() + " may not create databases and roles");
            }
            return new Probe(true, "PostgreSQL " + rows.getString(1));
        } catch (SQLException e) {
            return new Probe(false, String.valueOf(e.getMessage()).lines().findFirst().orElse("unreachable"));
        }
    }

    private static PostgresServer startEmbedded(Path home, List<String> tried) {
        try {
            Files.createDirectories(home);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(home.toFile())
                    .setDataDirectory(home.resolve("data-" + ProcessHandle.current().pid()))
                    .setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new EmbeddedServer(postgres);
        } catch (IOException | RuntimeException e) {
            throw EntrepotException.failed("No PostgreSQL server could be had. Tried " + String.join("; ", tried)
                            + "; then starting an embedded PostgreSQL failed: " + rootMessage(e),
                    "Start a PostgreSQL server on 127.0.0.1:5432, or set ENTREPOT_DEMO_POSTGRES_URL"
                            + " (demo.postgres_url). As root, the embedded server needs user namespaces"
                            + " (`unshare -U true` must work); as another user it needs nothing.", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** A server this process started; closing stops it and removes its files. */
    private static final class EmbeddedServer extends PostgresServer {
        private final EmbeddedPostgres postgres;

        EmbeddedServer(EmbeddedPostgres postgres) {
            super("127.0.0.1", postgres.getPort(), "postgres", Secret.empty(),
                    "embedded PostgreSQL at 127.0.0.1:" + postgres.getPort() + " (started for this run)");
            this.postgres = postgres;
        }

        @Override
        public boolean embedded() {
            return true;
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
            }
        }
    }
}
