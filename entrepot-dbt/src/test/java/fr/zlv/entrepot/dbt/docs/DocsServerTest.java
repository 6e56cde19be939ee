package fr.zlv.entrepot.dbt.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.dbt.DbtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DocsServer: serves target/ on the loopback, with the right content types, and nothing outside it. */
class DocsServerTest {

    @TempDir
    Path temporary;

    private Path target;
    private DocsServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void serveATargetDirectory() throws IOException {
        target = temporary.resolve("target");
        Files.createDirectories(target.resolve("compiled"));
        Files.writeString(target.resolve("index.html"), "<!doctype html><title>docs</title>");
        Files.writeString(target.resolve("docs.js"), "window.x = 1;");
        Files.writeString(target.resolve("docs.css"), "body {}");
        Files.writeString(target.resolve("catalog.json"), "{}");
        Files.writeString(target.resolve("compiled/index.html"), "<p>compiled</p>");
        Files.write(target.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(target.resolve("run.unknown"), "?");
        // What must never be served: a file next to target/, and a link from inside target/ to it.
        Files.writeString(temporary.resolve("secret.txt"), "password");
        Files.createSymbolicLink(target.resolve("link.txt"), temporary.resolve("secret.txt"));
        server = DocsServer.start(target, 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheSiteWithItsContentTypes() throws Exception {
        assertThat(server.url().toString()).startsWith("http://127.0.0.1:").endsWith("/");
        assertThat(server.port()).isPositive();

        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>docs</title>");
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");

        assertThat(get("/docs.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/docs.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/catalog.json").headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(get("/picture.png").headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(get("/run.unknown").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(get("/compiled/").body()).isEqualTo("<p>compiled</p>");
        assertThat(get("/compiled/../docs.js").body()).isEqualTo("window.x = 1;");
    }

    @Test
    void missingFilesAreNotFound() throws Exception {
        HttpResponse<String> missing = get("/nothing-here.html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(get("/run/").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyGetAndHead() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(server.url().resolve("/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);

        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.url().resolve("/docs.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue("13");
    }

    @Test
    void nothingOutsideTheTargetDirectory() throws Exception {
        // Written on the socket as they are: HTTP clients would normalise the dots away before sending.
        for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/compiled/../../secret.txt",
                "/..%2fsecret.txt", "//etc/passwd", "/" + temporary.resolve("secret.txt"), "/link.txt"}) {
            String response = rawRequest(path);
            assertThat(response).as(path).startsWith("HTTP/1.1 404").doesNotContain("password");
        }
        assertThat(server.root()).isEqualTo(target.toRealPath());
    }

    @Test
    void closingFreesThePort() throws Exception {
        int port = server.port();
        assertThat(get("/").statusCode()).isEqualTo(200);
        server.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        // The port can be taken again at once.
        try (DocsServer again = DocsServer.start(target, port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void aMissingDirectoryIsAProjectError() {
        assertThatThrownBy(() -> DocsServer.start(temporary.resolve("never-generated"), 0))
                .isInstanceOf(DbtException.class).hasMessageContaining("never-generated");
    }

    @Test
    void contentTypesByExtension() {
        assertThat(DocsServer.contentType(Path.of("a/INDEX.HTML"))).isEqualTo("text/html; charset=utf-8");
        assertThat(DocsServer.contentType(Path.of("model.sql"))).isEqualTo("text/plain; charset=utf-8");
        assertThat(DocsServer.contentType(Path.of("graph.svg"))).isEqualTo("image/svg+xml");
        assertThat(DocsServer.contentType(Path.of("Makefile"))).isEqualTo("application/octet-stream");
    }

    private String rawRequest(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
