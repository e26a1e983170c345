package dev.cachewarming.stampede;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cachewarming.annotation.StampedeProtected;

/**
 * A "database" shared by several application contexts: every load is counted and waits on a gate the test
 * opens, so the test controls exactly when loads finish.
 */
public class SlowCatalog {

    private final AtomicInteger loads = new AtomicInteger();

    private volatile CountDownLatch gate = new CountDownLatch(0);

    private volatile CountDownLatch loadStarted = new CountDownLatch(1);

    private volatile boolean failing;

    private volatile Runnable beforeLoad = () -> {
    };

    private volatile String version = "v1";

    public int loads() {
        return this.loads.get();
    }

    public void closeGate() {
        this.gate = new CountDownLatch(1);
        this.loadStarted = new CountDownLatch(1);
    }

    public void openGate() {
        this.gate.countDown();
    }

    /**
     * Lets new loads through while loads already waiting stay stuck.
     * @return the gate the stuck loads wait on, to open it at the end
     */
    public CountDownLatch openGateForNewLoadsOnly() {
        CountDownLatch stuck = this.gate;
        this.gate = new CountDownLatch(0);
        return stuck;
    }

    public void beforeLoad(Runnable action) {
        this.beforeLoad = action;
    }

    public boolean awaitLoadStarted() throws InterruptedException {
        return this.loadStarted.await(10, TimeUnit.SECONDS);
    }

    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    String load(String key) throws InterruptedException {
        // Take the gate before announcing the load: a test that swaps gates after the announcement must not let
        // this load through.
        CountDownLatch gateOfThisLoad = this.gate;
        this.loads.incrementAndGet();
        this.beforeLoad.run();
        this.loadStarted.countDown();
        if (!gateOfThisLoad.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
        if (this.failing) {
            throw new IllegalStateException("database down");
        }
        return key + ":" + this.version;
    }

    /** The annotated bean each context exposes over the shared catalog. */
    public static class Service {

        private final SlowCatalog catalog;

        public Service(SlowCatalog catalog) {
            this.catalog = catalog;
        }

        @StampedeProtected(cacheName = "slow")
        public String product(String key) throws InterruptedException {
            return this.catalog.load(key);
        }

        @StampedeProtected(cacheName = "coalesced", cached = false)
        public String uncached(String key) throws InterruptedException {
            return this.catalog.load(key);
        }
    }
}
