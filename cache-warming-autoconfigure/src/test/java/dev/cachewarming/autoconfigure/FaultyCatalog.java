package dev.cachewarming.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cachewarming.annotation.StampedeProtected;

/**
 * The "database" of the fault tests, shared by several application contexts: a version per key, when each version
 * was written (to tell how stale a cached copy is), a load counter, and a gate a test can close to hold loads.
 */
public class FaultyCatalog {

    /**
     * A product as the database holds it.
     * @param id the key
     * @param version how many times it was written
     */
    public record Product(long id, long version) {
    }

    private final Map<Long, CopyOnWriteArrayList<Long>> writtenAt = new ConcurrentHashMap<>();

    private final AtomicInteger loads = new AtomicInteger();

    private volatile CountDownLatch gate = new CountDownLatch(0);

    private volatile CountDownLatch loadStarted = new CountDownLatch(1);

    /** @return how many times a product was loaded */
    public int loads() {
        return this.loads.get();
    }

    /**
     * Writes a new version of a product.
     * @param id the key
     * @return the new version
     */
    public Product update(long id) {
        CopyOnWriteArrayList<Long> versions = versions(id);
        synchronized (versions) {
            versions.add(System.nanoTime());
            return new Product(id, versions.size() - 1);
        }
    }

    /**
     * @param read a version a caller was given
     * @return when the version after it was written ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} if it
     * is still the latest
     */
    public long replacedAt(Product read) {
        CopyOnWriteArrayList<Long> versions = versions(read.id());
        return (read.version() + 1 < versions.size()) ? versions.get((int) read.version() + 1) : Long.MAX_VALUE;
    }

    /** Holds every load from now on until {@link #openGate()}. */
    public void closeGate() {
        this.gate = new CountDownLatch(1);
        this.loadStarted = new CountDownLatch(1);
    }

    /** Lets the held loads finish. */
    public void openGate() {
        this.gate.countDown();
    }

    /**
     * Lets new loads through while the held ones stay held.
     * @return the gate the held loads wait on
     */
    public CountDownLatch openGateForNewLoadsOnly() {
        CountDownLatch held = this.gate;
        this.gate = new CountDownLatch(0);
        return held;
    }

    /** @return whether a load started within 10 s */
    public boolean awaitLoadStarted() throws InterruptedException {
        return this.loadStarted.await(10, TimeUnit.SECONDS);
    }

    Product load(long id) throws InterruptedException {
        CountDownLatch gateOfThisLoad = this.gate;
        this.loads.incrementAndGet();
        this.loadStarted.countDown();
        if (!gateOfThisLoad.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
        CopyOnWriteArrayList<Long> versions = versions(id);
        synchronized (versions) {
            return new Product(id, versions.size() - 1);
        }
    }

    private CopyOnWriteArrayList<Long> versions(long id) {
        return this.writtenAt.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>(java.util.List.of(0L)));
    }

    /** The annotated bean each context exposes over the shared catalog. */
    public static class Service {

        private final FaultyCatalog catalog;

        public Service(FaultyCatalog catalog) {
            this.catalog = catalog;
        }

        @StampedeProtected(cacheName = "products")
        public Product find(Long id) throws InterruptedException {
            return this.catalog.load(id);
        }
    }
}
