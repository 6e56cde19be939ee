package fr.zlv.entrepot.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per minute per subject, as a token bucket (Bucket4j): each subject may burst up to the minute's allowance,
 * which refills steadily. A bucket left alone for a minute is full again, so idle subjects' buckets are dropped when
 * many have piled up: forgetting them changes nothing.
 */
final class RateLimiter {

    private static final int SWEEP_ABOVE = 10_000;
    private static final long IDLE_NANOS = Duration.ofMinutes(2).toNanos();

    /** Whether a request may go on, and if not, when to come back. */
    record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    private record Entry(Bucket bucket, long[] lastUse) {
    }

    private final int perMinute;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    RateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    Decision tryAcquire(String subject) {
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(entry -> now - entry.lastUse()[0] > IDLE_NANOS);
        }
        Entry entry = buckets.computeIfAbsent(subject, key -> new Entry(Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build(), new long[1]));
        entry.lastUse()[0] = now;
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), 0);
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(false, 0, seconds);
    }
}
