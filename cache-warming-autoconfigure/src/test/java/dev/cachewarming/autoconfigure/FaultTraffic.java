package dev.cachewarming.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

import dev.cachewarming.cache.TieredCache;

/**
 * Readers and a writer on several instances while a test breaks Redis under them. Readers call the instances'
 * {@code @StampedeProtected} method in turn and count every outcome: failures, the slowest calls, and how long
 * before it began the version a call returned had been replaced in the database. The writer updates a product in
 * the database and then puts it in one instance's cache, as a write path does, every few milliseconds.
 */
final class FaultTraffic {

    private final List<FaultyCatalog.Service> services;

    private final TieredCache writerCache;

    private final FaultyCatalog catalog;

    private final int keys;

    private final AtomicBoolean running = new AtomicBoolean(true);

    private final List<Thread> threads = new ArrayList<>();

    private final AtomicLong reads = new AtomicLong();

    private final AtomicLong writes = new AtomicLong();

    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    private final LongAccumulator slowestNanos = new LongAccumulator(Math::max, 0);

    private final LongAccumulator stalestNanos = new LongAccumulator(Math::max, 0);

    private final ConcurrentLinkedQueue<String> slowCalls = new ConcurrentLinkedQueue<>();

    private final long slowNanos;

    /**
     * @param services the instances' services, read in turn
     * @param writerCache the cache of the instance the writer puts into
     * @param catalog the database
     * @param keys how many products (1 to {@code keys})
     * @param slowNanos calls longer than this are listed
     */
    FaultTraffic(List<FaultyCatalog.Service> services, TieredCache writerCache, FaultyCatalog catalog, int keys,
            long slowNanos) {
        this.services = services;
        this.writerCache = writerCache;
        this.catalog = catalog;
        this.keys = keys;
        this.slowNanos = slowNanos;
    }

    /**
     * Starts the readers and the writer.
     * @param readers how many reader threads
     */
    void start(int readers) {
        for (int r = 0; r < readers; r++) {
            int reader = r;
            this.threads.add(new Thread(() -> read(reader), "reader-" + r));
        }
        this.threads.add(new Thread(this::write, "writer"));
        this.threads.forEach(Thread::start);
    }

    private void read(int reader) {
        long sequence = reader;
        while (this.running.get()) {
            long id = 1 + ThreadLocalRandom.current().nextInt(this.keys);
            FaultyCatalog.Service service = this.services.get((int) (sequence++ % this.services.size()));
            long began = System.nanoTime();
            try {
                FaultyCatalog.Product product = service.find(id);
                long took = System.nanoTime() - began;
                this.slowestNanos.accumulate(took);
                if (took > this.slowNanos) {
                    this.slowCalls.add(Thread.currentThread().getName() + " waited " + took / 1_000_000 + " ms for "
                            + id);
                }
                if (product == null || product.id() != id) {
                    this.failures.add(new AssertionError("Read " + id + ", got " + product));
                }
                else {
                    this.stalestNanos.accumulate(began - this.catalog.replacedAt(product));
                }
            }
            catch (Throwable ex) {
                this.failures.add(ex);
            }
            this.reads.incrementAndGet();
            // A reader of a web application thinks between requests; it also leaves the writer some CPU.
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void write() {
        while (this.running.get()) {
            long id = 1 + ThreadLocalRandom.current().nextInt(this.keys);
            try {
                this.writerCache.put(id, this.catalog.update(id));
            }
            catch (Throwable ex) {
                this.failures.add(ex);
            }
            this.writes.incrementAndGet();
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** @return reads made so far */
    long reads() {
        return this.reads.get();
    }

    /** @return writes made so far */
    long writes() {
        return this.writes.get();
    }

    /** Stops every thread and waits for them. */
    void stop() throws InterruptedException {
        this.running.set(false);
        for (Thread thread : this.threads) {
            thread.join(30_000);
        }
    }

    /** @return what failed: exceptions, and wrong values */
    List<Throwable> failures() {
        return List.copyOf(this.failures);
    }

    /** @return the calls slower than the bound given at construction */
    List<String> slowCalls() {
        return List.copyOf(this.slowCalls);
    }

    /** @return the slowest call, ms */
    long slowestMillis() {
        return this.slowestNanos.get() / 1_000_000;
    }

    /**
     * @return the longest time, in ms, between the replacement of a version in the database and the start of a
     * read that still returned it (0 if every read returned the latest version)
     */
    long stalestMillis() {
        return this.stalestNanos.get() / 1_000_000;
    }
}
