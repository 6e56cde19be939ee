package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code entrepot dbt docs generate|serve} as a user types them. */
class DbtDocsCommandTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aSmallProject() throws IOException {
        write("dbt_project.yml", "name: little\nprofile: little\nmodels:\n  little:\n    marts:\n"
                + "      +materialized: table\n");
        write("profiles.yml", "little:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: little.duckdb\n      threads: 1\n");
        write("seeds/numbers.csv", "n,label\n1,one\n2,two\n");
        write("models/marts/big_numbers.sql", "select n * 100 as n, label from {{ ref('numbers') }}\n");
        write("models/marts/_marts.yml", "version: 2\nmodels:\n  - name: big_numbers\n"
                + "    description: Numbers, a hundred times bigger.\n");
    }

    /** The command line, with the docs command under dbt (until DbtCommand lists it itself). */
    private static CommandLine commandLine() {
        CommandLine commandLine = EntrepotCommand.commandLine();
        CommandLine dbt = commandLine.getSubcommands().get("dbt");
        if (!dbt.getSubcommands().containsKey("docs")) {
            dbt.addSubcommand(new DbtDocsCommand());
        }
        return commandLine;
    }

    private CommandRun run(String... args) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = commandLine().setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true))
                    .execute(args);
            return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    void generateWritesTheCatalogAndTheSite() throws IOException {
        assertThat(run("dbt", "build", "--project-dir", project.toString()).exitCode()).isZero();

        CommandRun generate = run("dbt", "docs", "generate", "--project-dir", project.toString());

        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).contains("Catalog: 2 of 2 relations found in the warehouse.")
                .contains("Catalog written to " + project.resolve("target/catalog.json").toRealPath());
        JsonNode catalog = new ObjectMapper().readTree(project.resolve("target/catalog.json").toFile());
        assertThat(catalog.at("/nodes/model.little.big_numbers/columns/n/type").asText()).isEqualTo("BIGINT");
        assertThat(project.resolve("target/index.html")).exists();
        assertThat(project.resolve("target/docs-data.js")).content().contains("Numbers, a hundred times bigger.");
    }

    @Test
    void serveNeedsGeneratedDocs() {
        CommandRun serve = run("dbt", "docs", "serve", "--port", "0", "--project-dir", project.toString());
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("There is no documentation site in").contains("docs generate");
    }

    @Test
    void serveServesTheSiteUntilStopped() throws Exception {
        assertThat(run("dbt", "docs", "generate", "--no-compile", "--project-dir", project.toString()).exitCode())
                .isZero();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AtomicInteger exitCode = new AtomicInteger(-1);
        String[] args = {"dbt", "docs", "serve", "--port", Integer.toString(port), "--project-dir", project.toString()};
        Thread serving = new Thread(() -> exitCode.set(commandLine().execute(args)), "docs-serve-test");
        serving.start();

        HttpClient client = HttpClient.newHttpClient();
        HttpRequest index = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt < 100 && response == null; attempt++) {
            try {
                response = client.send(index, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(response).as("the server answered").isNotNull();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<script src=\"docs.js\"></script>");

        serving.interrupt();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
        try (Socket closed = new Socket()) {
            closed.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            throw new AssertionError("the port is still open");
        } catch (ConnectException expected) {
            // stopped
        }
    }
}
