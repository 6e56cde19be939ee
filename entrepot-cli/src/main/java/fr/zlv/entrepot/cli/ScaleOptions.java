package fr.zlv.entrepot.cli;

import picocli.CommandLine.Option;

/** How much synthetic data, and which: shared by {@code demo} and {@code demo generate}. */
final class ScaleOptions {

    @Option(names = "--housings", paramLabel = "N", defaultValue = "10000",
            description = "Housings in the production database (default: ${DEFAULT-VALUE}); the other tables follow.")
    long housings;

    @Option(names = "--seed", defaultValue = "42",
            description = "The same seed gives the same data (default: ${DEFAULT-VALUE}).")
    long seed;
}
