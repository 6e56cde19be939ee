package fr.zlv.entrepot.server;

import fr.zlv.entrepot.orchestrator.store.AuditRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records to the run store on a thread of its own, so a request never waits for the disk: records
 * queue up and are appended in batches of whatever came meanwhile. The queue is bounded; when the store cannot keep
 * up, records beyond it are dropped and counted (a metric and a log line tell), rather than slowing every request.
 */
final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final int CAPACITY = 100_000;
    private static final int MAX_BATCH = 1_000;

    private final RunStore store;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    AuditWriter(RunStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "entrepot-audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a record; never blocks. */
    void append(AuditRecord record) {
        if (!queue.offer(record)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1_000 == 0) {
                LOG.warn("The audit log at {} cannot keep up: {} records dropped so far", store.location(), count);
            }
        }
    }

    /** Waits until every record queued before this call is in the store (or failed to be written). */
    void flush() {
        CountDownLatch done = new CountDownLatch(1);
        try {
            queue.put(done);
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return written.get();
    }

    long failed() {
        return failed.get();
    }

    int pending() {
        return queue.size();
    }

    private void loop() {
        List<Object> items = new ArrayList<>();
        List<AuditRecord> batch = new ArrayList<>();
        while (!stopping || !queue.isEmpty()) {
            try {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                items.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(items, MAX_BATCH);
            for (Object item : items) {
                if (item instanceof AuditRecord record) {
                    batch.add(record);
                } else {
                    write(batch);
                    ((CountDownLatch) item).countDown();
                }
            }
            write(batch);
            items.clear();
        }
    }

    private void write(List<AuditRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.appendAudit(List.copyOf(batch));
            written.addAndGet(batch.size());
        } catch (RuntimeException e) {
            failed.addAndGet(batch.size());
            LOG.error("Could not write {} audit records to {}: {}", batch.size(), store.location(), e.getMessage(), e);
        }
        batch.clear();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
