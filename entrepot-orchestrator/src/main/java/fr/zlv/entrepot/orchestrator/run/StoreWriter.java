package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the run store on one thread of its own, in order, so steps never wait for the disk: events that come
 * together are appended in one batch. {@link #flush()} waits until everything sent so far is written.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final Object STOP = new Object();

    private final RunStore store;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    StoreWriter(RunStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "entrepot-run-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void event(RunEvent event) {
        queue.add(event);
    }

    void write(Consumer<RunStore> operation) {
        queue.add(operation);
    }

    /** Waits until everything queued before this call is in the store. */
    void flush() {
        CountDownLatch done = new CountDownLatch(1);
        queue.add(done);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private void loop() {
        List<Object> batch = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            for (Object item : batch) {
                if (item instanceof RunEvent event) {
                    events.add(event);
                    continue;
                }
                writeEvents(events);
                if (item == STOP) {
                    return;
                } else if (item instanceof CountDownLatch latch) {
                    latch.countDown();
                } else {
                    try {
                        ((Consumer<RunStore>) item).accept(store);
                    } catch (RuntimeException e) {
                        LOG.error("Could not write to the run store {}: {}", store.location(), e.getMessage(), e);
                    }
                }
            }
            writeEvents(events);
            batch.clear();
        }
    }

    private void writeEvents(List<RunEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            store.appendEvents(List.copyOf(events));
        } catch (RuntimeException e) {
            LOG.error("Could not write {} run events to {}: {}", events.size(), store.location(), e.getMessage(), e);
        }
        events.clear();
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
