package fr.zlv.entrepot.semantic.api;

import java.util.Map;

/** A GraphQL request as it came over HTTP ({@code query}, {@code operationName}, {@code variables}). */
public record GraphQlRequest(String query, String operationName, Map<String, Object> variables) {

    public GraphQlRequest {
        variables = variables == null ? Map.of() : variables;
    }
}
