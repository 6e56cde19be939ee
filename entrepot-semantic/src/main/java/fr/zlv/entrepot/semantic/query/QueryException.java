package fr.zlv.entrepot.semantic.query;

/**
 * A query the semantic layer refuses, with the GraphQL error code the caller sees: {@code FORBIDDEN} (the role may
 * not see what it asked for: HTTP 403) or {@code BAD_USER_INPUT} (a wrong name, value or limit).
 */
public final class QueryException extends RuntimeException {

    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String BAD_USER_INPUT = "BAD_USER_INPUT";

    private final String code;

    private QueryException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static QueryException forbidden(String message) {
        return new QueryException(FORBIDDEN, message);
    }

    public static QueryException badInput(String message) {
        return new QueryException(BAD_USER_INPUT, message);
    }

    public String code() {
        return code;
    }
}
