package fr.zlv.entrepot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: N clients, each sending its next request as soon as the previous one is answered, for a warm-up
 * then a measured period; every answer's latency is kept (no sampling), so percentiles are exact.
 */
final class ClosedLoop {

    /** One client's next request: true when answered as expected. */
    @FunctionalInterface
    interface Request {
        boolean call() throws Exception;
    }

    /** What a load achieved. */
    record Result(String name, int clients, double seconds, long requests, long failures, long[] sortedNanos) {

        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
        }

        String line() {
            return String.format(Locale.ROOT, "%-48s %,10.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%,d requests, %d failed)",
                    name, perSecond(), percentileMillis(50), percentileMillis(99), requests, failures);
        }
    }

    private ClosedLoop() {
    }

    /**
     * @param clients one request maker per client (its own connection, its own state)
     */
    static Result run(String name, List<Request> clients, Duration warmUp, Duration measured) throws InterruptedException {
        int count = clients.size();
        long start = System.nanoTime() + warmUp.toNanos();
        long end = start + measured.toNanos();
        long[][] latencies = new long[count][];
        int[] sizes = new int[count];
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(count);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            latencies[c] = new long[1 << 16];
            int client = c;
            Thread thread = new Thread(() -> {
                long[] mine = latencies[client];
                int size = 0;
                try {
                    while (true) {
                        long before = System.nanoTime();
                        if (before >= end) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = clients.get(client).call();
                        } catch (Exception e) {
                            ok = false;
                        }
                        long after = System.nanoTime();
                        if (before >= start && after <= end) {
                            if (!ok) {
                                failures.incrementAndGet();
                            }
                            if (size == mine.length) {
                                mine = Arrays.copyOf(mine, mine.length * 2);
                                latencies[client] = mine;
                            }
                            mine[size++] = after - before;
                        }
                    }
                } finally {
                    sizes[client] = size;
                    done.countDown();
                }
            }, "load-" + name + "-" + c);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        done.await();
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < count; c++) {
            System.arraycopy(latencies[c], 0, all, at, sizes[c]);
            at += sizes[c];
        }
        Arrays.sort(all);
        return new Result(name, count, measured.toNanos() / 1e9, total, failures.get(), all);
    }
}
