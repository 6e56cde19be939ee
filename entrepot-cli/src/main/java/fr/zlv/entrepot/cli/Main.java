package fr.zlv.entrepot.cli;

import picocli.CommandLine;

/** The {@code entrepot} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 wrong input. */
    public static int run(String... args) {
        return EntrepotCommand.commandLine().execute(args);
    }
}
