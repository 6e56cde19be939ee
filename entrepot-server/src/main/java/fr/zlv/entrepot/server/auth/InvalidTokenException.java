package fr.zlv.entrepot.server.auth;

/** A request's bearer token is missing, malformed, forged, expired or meant for someone else: HTTP 401. */
public final class InvalidTokenException extends Exception {

    private final boolean missing;

    InvalidTokenException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    static InvalidTokenException missing(String message) {
        return new InvalidTokenException(message, true);
    }

    static InvalidTokenException invalid(String message) {
        return new InvalidTokenException(message, false);
    }

    /** True when no token came at all (RFC 6750: the answer then names no error code). */
    public boolean missing() {
        return missing;
    }
}
