package fr.zlv.entrepot.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP on loopback, as the pages (or a script) call the server: GET and POST with an optional bearer token. */
final class WebClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI server;

    WebClient(URI server) {
        this.server = server;
    }

    /** An answer: status, headers and body. */
    record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String message() {
            return json().path("errors").path(0).path("message").asText(null);
        }

        String code() {
            return json().path("errors").path(0).path("extensions").path("code").asText(null);
        }
    }

    Answer get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    Answer post(String path, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return send(request.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GraphQL request to the API, its data (or fails with the API's error). */
    JsonNode graphql(String token, String query, JsonNode variables) {
        Answer answer = post("/graphql", token, JSON.createObjectNode().put("query", query).set("variables", variables));
        if (answer.status() != 200 || answer.json().has("errors")) {
            throw new AssertionError("GraphQL refused (" + answer.status() + "): " + answer.body());
        }
        return answer.json().get("data");
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
