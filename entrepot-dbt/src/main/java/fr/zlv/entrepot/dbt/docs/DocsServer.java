package fr.zlv.entrepot.dbt.docs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fr.zlv.entrepot.dbt.DbtException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code dbt docs serve}: serves a project's {@code target/} directory over HTTP on 127.0.0.1 only (the docs show
 * the project's SQL: they are not for the network). Read-only: GET and HEAD, files under the directory and nothing
 * outside it.
 *
 * <pre>{@code
 * try (DocsServer server = DocsServer.start(dbt.targetDirectory(), 8080)) {
 *     System.out.println("Serving docs at " + server.url());
 *     ...
 * }
 * }</pre>
 */
public final class DocsServer implements AutoCloseable {

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("sql", "text/plain; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"));

    private final HttpServer server;
    private final ExecutorService threads;
    private final Path root;

    private DocsServer(HttpServer server, ExecutorService threads, Path root) {
        this.server = server;
        this.threads = threads;
        this.root = root;
    }

    /**
     * Starts serving {@code targetDirectory}.
     *
     * @param port 0 for any free port ({@link #port()} says which)
     */
    public static DocsServer start(Path targetDirectory, int port) {
        Path root;
        try {
            root = targetDirectory.toRealPath();
        } catch (IOException e) {
            throw DbtException.project("There is no " + targetDirectory + " to serve.",
                    "Run 'entrepot dbt docs generate' first.");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw DbtException.project("Cannot serve the docs on port " + port + ": " + e.getMessage(),
                    "Choose another port with --port (0 takes any free one).", e);
        }
        // A few daemon threads: a browser opens several connections at once, and they must not keep the JVM alive.
        ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "docs-server");
            thread.setDaemon(true);
            return thread;
        });
        DocsServer docs = new DocsServer(server, threads, root);
        server.createContext("/", docs::handle);
        server.setExecutor(threads);
        server.start();
        return docs;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:PORT/ */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    public Path root() {
        return root;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(exchange, 405, "Method not allowed.");
                return;
            }
            Path file = fileUnder(root, exchange.getRequestURI().getPath());
            if (file == null) {
                sendText(exchange, 404, "Not found.");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType(file));
            // The docs change at each generate: the browser asks again rather than showing an old page.
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            long length = Files.size(file);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
        } finally {
            exchange.close();
        }
    }

    /**
     * The file a request's (decoded) path names under {@code root} (a real path), or null when there is none or when
     * the path leads outside the root ({@code /../}, an absolute path, a link pointing elsewhere) or to a hidden file.
     * The web UI's catalog serves the same site through it.
     */
    public static Path fileUnder(Path root, String requestPath) {
        if (requestPath == null || requestPath.indexOf('\0') >= 0 || requestPath.contains("\\")) {
            return null;
        }
        String relative = requestPath.replaceFirst("^/+", "");
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        if (!Files.isRegularFile(candidate) || candidate.getFileName().toString().startsWith(".")) {
            return null;
        }
        try {
            // Symbolic links are followed only when they stay inside the root.
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The Content-Type of a file of the docs site, from its extension. */
    public static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    /** Stops serving at once and frees the port. */
    @Override
    public void close() {
        // No grace delay: on JDK 17 stop(n) waits the whole n seconds even with no request in progress.
        InetSocketAddress address = server.getAddress();
        server.stop(0);
        threads.shutdownNow();
        awaitPortFree(address);
    }

    /**
     * The JDK server closes its listening channel while the channel is still registered with its selector, and the
     * socket is only released at the selector's next pass: wait for it (a little), so a caller that starts again on
     * the same port right after, or checks it, finds it free.
     */
    private static void awaitPortFree(InetSocketAddress address) {
        // Ctrl+C or an interrupted caller may have set this thread's interrupt flag: wait anyway, then set it again.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        try {
            while (System.nanoTime() < deadline) {
                try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                    probe.bind(address);
                    return;
                } catch (IOException stillHeld) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
