package fr.zlv.entrepot.orchestrator.run;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and when a failed step is tried again: {@code maxAttempts} in all, waiting {@code delay}, times
 * {@code backoff} after each failure, plus or minus {@code jitter} (a fraction of the wait, so retries of many
 * steps hitting the same server spread out).
 */
public record RetryPolicy(int maxAttempts, Duration delay, double backoff, double jitter) {

    /** No retry: one attempt. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1, 0);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1, not " + maxAttempts);
        }
        if (delay.isNegative() || backoff < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("retry policy out of range: delay " + delay + ", backoff " + backoff
                    + " (≥ 1), jitter " + jitter + " (0 to 1)");
        }
    }

    /** The wait before attempt {@code attempt} (2 for the first retry). */
    public Duration delayBefore(int attempt, RandomGenerator random) {
        double millis = delay.toMillis() * Math.pow(backoff, Math.max(0, attempt - 2));
        if (jitter > 0) {
            millis *= 1 + jitter * (2 * random.nextDouble() - 1);
        }
        return Duration.ofMillis(Math.round(Math.max(0, millis)));
    }
}
