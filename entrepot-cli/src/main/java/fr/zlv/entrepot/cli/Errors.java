package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.PrintWriter;

/** How failures reach the terminal: one message and a hint, a stack trace only when asked for. */
final class Errors {

    private Errors() {
    }

    static int report(Exception exception, boolean verbose, PrintWriter err) {
        if (exception instanceof EntrepotException known) {
            err.println("error: " + known.getMessage());
            if (known.hint() != null) {
                err.println("hint: " + known.hint());
            }
            if (verbose && known.getCause() != null) {
                known.getCause().printStackTrace(err);
            }
            err.flush();
            return known.exitCode();
        }
        err.println("error: an unexpected failure: " + exception);
        if (verbose) {
            exception.printStackTrace(err);
        } else {
            err.println("hint: run again with -v for the details, and report it with them.");
        }
        err.flush();
        return EntrepotException.FAILED;
    }
}
