package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * Instants as the store keeps them: nanoseconds since 1970-01-01T00:00:00Z in a 64-bit integer. Exact (the JDK's
 * clock gives nanoseconds here, PostgreSQL's timestamptz would keep microseconds), ordered as numbers, and the same
 * in SQLite and PostgreSQL. The range is 1677-09-21 to 2262-04-11.
 */
final class Nanos {

    private static final long PER_SECOND = 1_000_000_000L;

    private Nanos() {
    }

    static long of(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the run store keeps instants from 1677-09-21 to 2262-04-11, not "
                    + instant, e);
        }
    }

    static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, PER_SECOND), Math.floorMod(nanos, PER_SECOND));
    }
}
