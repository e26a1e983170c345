package dev.cachewarming.sample.demo;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cachewarming.sample.catalog.CatalogService;

/**
 * Sends Zipf-distributed product reads (exponent 0.99 over the catalog) at a steady rate, so hit rate, database
 * queries per second and warming can be watched. Off by default: {@code sample.traffic.enabled=true} or the
 * dashboard's button turns it on. Bounded: it stops by itself after {@code sample.traffic.max-duration}.
 */
@Component
public class TrafficGenerator {

    private static final Log logger = LogFactory.getLog(TrafficGenerator.class);

    private final CatalogService catalog;

    private final ZipfSampler zipf;

    private final int ratePerSecond;

    private final long maxDurationNanos;

    private final boolean enabledAtStartup;

    private final AtomicLong requests = new AtomicLong();

    private volatile Thread worker;

    TrafficGenerator(CatalogService catalog, @Value("${sample.catalog.size:100000}") int catalogSize,
            @Value("${sample.traffic.rate:500}") int ratePerSecond,
            @Value("${sample.traffic.max-duration:30m}") java.time.Duration maxDuration,
            @Value("${sample.traffic.enabled:false}") boolean enabledAtStartup) {
        this.catalog = catalog;
        this.zipf = new ZipfSampler(catalogSize, 0.99);
        this.ratePerSecond = ratePerSecond;
        this.maxDurationNanos = maxDuration.toNanos();
        this.enabledAtStartup = enabledAtStartup;
    }

    @EventListener(ApplicationReadyEvent.class)
    void startIfEnabled() {
        if (this.enabledAtStartup) {
            start();
        }
    }

    /** Starts sending requests (no-op if running). */
    public synchronized void start() {
        if (this.worker != null) {
            return;
        }
        Thread thread = new Thread(this::run, "sample-traffic");
        thread.setDaemon(true);
        this.worker = thread;
        thread.start();
        logger.info("Traffic generator started: " + this.ratePerSecond + " Zipf(0.99) reads/s");
    }

    /** Stops sending requests. */
    public synchronized void stop() {
        Thread thread = this.worker;
        this.worker = null;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** @return whether requests are being sent */
    public boolean isRunning() {
        return this.worker != null;
    }

    /** @return requests sent since startup */
    public long requests() {
        return this.requests.get();
    }

    private void run() {
        long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, this.ratePerSecond);
        long start = System.nanoTime();
        long next = start;
        while (this.worker == Thread.currentThread() && System.nanoTime() - start < this.maxDurationNanos) {
            try {
                this.catalog.findProduct(this.zipf.next());
                this.requests.incrementAndGet();
            }
            catch (RuntimeException ex) {
                logger.debug("Traffic request failed", ex);
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime();
            }
        }
        synchronized (this) {
            if (this.worker == Thread.currentThread()) {
                this.worker = null;
            }
        }
    }
}
