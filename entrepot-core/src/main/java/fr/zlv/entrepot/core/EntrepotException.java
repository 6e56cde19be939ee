package fr.zlv.entrepot.core;

/**
 * A failure the user can understand and act on: what went wrong, where, and what to do about it.
 *
 * <p>The command line prints {@link #getMessage()} and {@link #hint()} (never a stack trace) and exits
 * with {@link #exitCode()}: 2 when the input given to Entrepôt is wrong (settings, arguments, a file),
 * 1 when a step failed while running (a server unreachable, a query refused).
 */
public class EntrepotException extends RuntimeException {

    /** Exit code for wrong input: settings, command-line arguments, files. */
    public static final int BAD_INPUT = 2;
    /** Exit code for a step that failed while running. */
    public static final int FAILED = 1;

    private final String hint;
    private final int exitCode;

    public EntrepotException(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    /** Wrong input (settings, arguments, a file): exit code 2. */
    public static EntrepotException badInput(String message, String hint) {
        return new EntrepotException(message, hint, BAD_INPUT, null);
    }

    /** A step failed while running: exit code 1. */
    public static EntrepotException failed(String message, String hint, Throwable cause) {
        return new EntrepotException(message, hint, FAILED, cause);
    }

    /** What the user can do about it; may be null. */
    public String hint() {
        return hint;
    }

    public int exitCode() {
        return exitCode;
    }
}
