package fr.zlv.entrepot.server;

import java.util.Map;

/**
 * A request refused by the server itself (not by the semantic layer): its HTTP status, a GraphQL-style error code
 * ({@code UNAUTHENTICATED}, {@code FORBIDDEN}, {@code RATE_LIMITED}, …), a message for the caller and extra headers.
 */
final class ApiException extends Exception {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }
}
