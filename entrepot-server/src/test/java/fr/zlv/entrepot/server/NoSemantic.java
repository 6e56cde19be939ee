package fr.zlv.entrepot.server;

import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;

/**
 * Test scaffolding for the tests of what the server does before a request reaches the semantic layer (tokens, the
 * audit endpoint, limits): a layer that fails the test if a request ever reaches it. The GraphQL tests run over the
 * real semantic layer.
 */
final class NoSemantic implements SemanticApi {

    @Override
    public GraphQlResponse execute(GraphQlRequest request, Principal principal) {
        throw new AssertionError("the request should not have reached the semantic layer: " + request.query());
    }

    @Override
    public String dataVersion() {
        return "no data";
    }

    @Override
    public void close() {
    }
}
