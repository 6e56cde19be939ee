package fr.zlv.entrepot.server.web;

import fr.zlv.entrepot.core.EntrepotException;

/**
 * A request the web UI's endpoints refuse: an HTTP status, an error code shaped like the API's
 * ({@code UNAUTHENTICATED}, {@code FORBIDDEN}, {@code BAD_REQUEST}, {@code NOT_FOUND}) and a message for the page.
 */
final class WebError extends Exception {

    private final int status;
    private final String code;

    WebError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static WebError badRequest(String message) {
        return new WebError(400, "BAD_REQUEST", message);
    }

    static WebError notFound(String message) {
        return new WebError(404, "NOT_FOUND", message);
    }

    static WebError forbidden(String message) {
        return new WebError(403, "FORBIDDEN", message);
    }

    /** A user's mistake the orchestrator found (unknown job, bad selection): its message and hint, as a 400. */
    static WebError of(EntrepotException e) {
        String hint = e.hint() == null || e.hint().isBlank() ? "" : " " + e.hint();
        return e.exitCode() == EntrepotException.BAD_INPUT ? badRequest(e.getMessage() + hint)
                : new WebError(500, "FAILED", e.getMessage() + hint);
    }
}
