package fr.zlv.entrepot.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic randomness for the demo: the same seed gives the same data, whatever the order in
 * which tables are generated or how many threads generate them.
 *
 * <p>Identifiers are functions of (seed, kind, index), so a table can refer to a row of another table
 * by its index without holding that table in memory.
 */
public final class DemoRandom {

    private final long seed;

    public DemoRandom(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** A random stream for one table or concern, independent of every other stream. */
    public SplittableRandom stream(String purpose) {
        return new SplittableRandom(mix(seed ^ hash(purpose)));
    }

    /** A random stream for row {@code index} of {@code kind}: a row's values can be drawn again anywhere. */
    public SplittableRandom row(String kind, long index) {
        return new SplittableRandom(mix(seed ^ hash(kind) ^ mix(index + 0x632BE59BD9B4E019L)));
    }

    /** The UUID of row {@code index} of {@code kind}: stable for a seed, shaped as a version-4 UUID. */
    public UUID uuid(String kind, long index) {
        long high = mix(seed ^ hash(kind) ^ mix(index));
        long low = mix(high ^ 0x9E3779B97F4A7C15L ^ index);
        high = (high & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** One of {@code values}, with the given weights (same length). */
    public static <T> T weighted(SplittableRandom random, List<T> values, double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }

    public static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** True with probability {@code p}. */
    public static boolean chance(SplittableRandom random, double p) {
        return random.nextDouble() < p;
    }

    private static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: a cheap, well-spread bijection on longs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
