package fr.zlv.entrepot.dbt;

import fr.zlv.entrepot.core.EntrepotException;

/**
 * A problem in a dbt project (YAML, Jinja, SQL, a missing ref): the message names the file and, when known,
 * the line and the node.
 */
public final class DbtException extends EntrepotException {

    private DbtException(String message, String hint, int exitCode, Throwable cause) {
        super(message, hint, exitCode, cause);
    }

    /** Wrong input in the project: exit code 2 in dbt's terms ("the project does not parse"). */
    public static DbtException project(String message, String hint) {
        return new DbtException(message, hint, BAD_INPUT, null);
    }

    public static DbtException project(String message, String hint, Throwable cause) {
        return new DbtException(message, hint, BAD_INPUT, cause);
    }

    /** A statement that failed while running. */
    public static DbtException runtime(String message, Throwable cause) {
        return new DbtException(message, null, FAILED, cause);
    }
}
