package fr.zlv.entrepot.ingest.storage;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action again after a transient failure (a dropped connection, a server error, a truncated
 * download), waiting longer each time: 250 ms, 500 ms, 1 s… with ±25 % jitter so that parallel reads do
 * not retry in step.
 */
final class Retry {

    /** An action that may fail. */
    interface Action<T> {
        T run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final int maxAttempts;
    private final long firstDelayMillis;
    private final Predicate<Throwable> transientFailure;

    Retry(int maxAttempts, long firstDelayMillis, Predicate<Throwable> transientFailure) {
        this.maxAttempts = maxAttempts;
        this.firstDelayMillis = firstDelayMillis;
        this.transientFailure = transientFailure;
    }

    /** Runs {@code action}; rethrows the last failure, or the first one that is not transient. */
    <T> T run(String what, Action<T> action) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.run();
            } catch (Exception e) {
                if (attempt >= maxAttempts || !transientFailure.test(e)) {
                    throw e;
                }
                long delay = firstDelayMillis << (attempt - 1);
                delay += (long) (delay * (ThreadLocalRandom.current().nextDouble() - 0.5) * 0.5);
                LOG.info("{} failed (attempt {} of {}): {}; trying again in {} ms", what, attempt, maxAttempts,
                        e.getMessage(), delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
