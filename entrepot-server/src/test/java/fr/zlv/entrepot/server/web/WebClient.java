package fr.zlv.entrepot.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.server.Http;
import fr.zlv.entrepot.server.Http.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Real HTTP on loopback, as the pages (or a script) call the server: GET and POST with an optional bearer token, to
 * paths of one server, sent through {@link Http}.
 */
final class WebClient {

    static final ObjectMapper JSON = Http.JSON;

    private final URI server;

    WebClient(URI server) {
        this.server = server;
    }

    Answer get(String path, String token) {
        return Http.get(server.resolve(path), token);
    }

    /** A POST of {@code body} written as JSON. */
    Answer post(String path, String token, Object body) {
        try {
            return Http.post(server.resolve(path), token, JSON.writeValueAsString(body));
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
}
