package dev.cachewarming.write;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes one cache's write-behind log to the database, on a thread of its own: takes over entries of consumers
 * that went silent ({@code claim-min-idle}), reads new ones, coalesces them per key and hands the batch to the
 * writer; acknowledges on success, retries with backoff on failure and dead-letters the batch after
 * {@code max-attempts} failed attempts.
 *
 * <p>One instance at a time flushes a cache ({@link WriteBehindLog#lead}); the others wait, ready to lead when it
 * stops or stalls. Delivery is at least once: a batch written whose acknowledgement is lost (the instance dies in between, Redis
 * fails) is written again by whoever claims it. Within one batch, keys are written in the order they first appear
 * and each with its latest value.
 */
public final class WriteBehindFlusher implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(WriteBehindFlusher.class);

    /** Writes the latest entry of each key of a batch, or throws. */
    @FunctionalInterface
    public interface BatchWriter {

        /**
         * @param latest per key, the latest entry
         * @throws Exception if the batch was not written (it is retried)
         */
        void write(List<WriteBehindLog.Entry> latest) throws Exception;
    }

    /**
     * @param batchSize the most entries per batch
     * @param pollInterval the pause when the log has nothing new
     * @param claimMinIdle how long another consumer's entry must be idle before it is taken over
     * @param shutdownTimeout how long closing waits for the batch under way; 0 stops at once (entries stay pending
     * and another instance claims them)
     * @param retry the retry policy
     */
    public record Settings(int batchSize, Duration pollInterval, Duration claimMinIdle, Duration shutdownTimeout,
            RetryPolicy retry) {
    }

    private final String cache;

    private final WriteBehindLog log;

    private final String consumer;

    private final BatchWriter writer;

    private final Settings settings;

    private final LongAdder flushed = new LongAdder();

    private final LongAdder retried = new LongAdder();

    private final LongAdder deadLettered = new LongAdder();

    private final Object wakeUp = new Object();

    private volatile boolean running;

    private Thread thread;

    private long lastWarning;

    /**
     * @param cache the cache name
     * @param log the log
     * @param consumer this instance's consumer name
     * @param writer writes batches
     * @param settings batch size, intervals and retries
     */
    public WriteBehindFlusher(String cache, WriteBehindLog log, String consumer, BatchWriter writer,
            Settings settings) {
        this.cache = cache;
        this.log = log;
        this.consumer = consumer;
        this.writer = writer;
        this.settings = settings;
    }

    /** Starts the flushing thread. */
    public synchronized void start() {
        if (this.thread != null) {
            return;
        }
        this.running = true;
        this.thread = new Thread(this::run, "cache-warming-write-behind-" + this.cache);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** @return the cache name */
    public String cache() {
        return this.cache;
    }

    /** @return entries written (latest per key) since startup */
    public long flushed() {
        return this.flushed.sum();
    }

    /** @return failed attempts that were retried since startup */
    public long retried() {
        return this.retried.sum();
    }

    /** @return entries moved to the dead-letter log since startup */
    public long deadLettered() {
        return this.deadLettered.sum();
    }

    /**
     * @param nowMillis the current time
     * @return what the log holds now
     * @throws RuntimeException if the log cannot be read
     */
    public WriteBehindLog.Status status(long nowMillis) {
        return this.log.status(this.cache, nowMillis);
    }

    private volatile WriteBehindLog.Status lastStatus = new WriteBehindLog.Status(0, 0, 0, 0);

    private volatile long lastStatusAt;

    /**
     * What the log held at most a second ago, for meters scraped often; the last known status if the log cannot
     * be read now.
     * @param nowMillis the current time
     * @return the status
     */
    public WriteBehindLog.Status recentStatus(long nowMillis) {
        if (nowMillis - this.lastStatusAt >= 1000) {
            this.lastStatusAt = nowMillis;
            try {
                this.lastStatus = this.log.status(this.cache, nowMillis);
            }
            catch (RuntimeException ex) {
                logger.debug("Cannot read the write-behind log of cache '" + this.cache + "'", ex);
            }
        }
        return this.lastStatus;
    }

    private void run() {
        long nextClaim = 0;
        long leaderUntil = 0;
        // Entries left pending by an earlier leader (or by this consumer's earlier life, or an acknowledgement that
        // failed) are older than anything not yet read: until all are taken over and written, nothing new is read,
        // or a key's older value would reach the writer after a newer one.
        boolean draining = true;
        while (this.running) {
            try {
                long now = System.nanoTime();
                if (now - leaderUntil >= 0) {
                    // Renewed every third of its lifetime: a leader that stalls longer than that loses it.
                    Duration ttl = this.settings.claimMinIdle();
                    if (!this.log.lead(this.cache, this.consumer, ttl)) {
                        nextClaim = now; // whoever leads next first takes over what the last leader left
                        draining = true;
                        pause(this.settings.pollInterval());
                        continue;
                    }
                    leaderUntil = now + ttl.toNanos() / 3;
                }
                List<WriteBehindLog.Entry> entries = new ArrayList<>();
                if (draining || now - nextClaim >= 0) {
                    // Claimed entries are older than new ones: first in the batch, so the latest per key wins.
                    entries.addAll(this.log.claim(this.cache, this.consumer, this.settings.claimMinIdle(),
                            this.settings.batchSize()));
                    nextClaim = now + Math.max(this.settings.claimMinIdle().toNanos() / 2,
                            this.settings.pollInterval().toNanos());
                }
                if (draining) {
                    // What is pending besides the entries just claimed is not idle long enough to take over yet.
                    draining = this.log.pending(this.cache) > entries.size();
                }
                if (!draining && entries.size() < this.settings.batchSize()) {
                    entries.addAll(this.log.read(this.cache, this.consumer,
                            this.settings.batchSize() - entries.size()));
                }
                if (entries.isEmpty()) {
                    pause(this.settings.pollInterval());
                    continue;
                }
                flush(WriteBatch.coalesce(entries));
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (RuntimeException ex) {
                draining = true; // what was read may be pending still (its acknowledgement failed)
                warn("Write-behind log of cache '" + this.cache + "' failed; retrying", ex);
                try {
                    pause(this.settings.pollInterval());
                }
                catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void flush(WriteBatch batch) throws InterruptedException {
        int failures = 0;
        while (true) {
            try {
                this.writer.write(batch.latest());
            }
            catch (Exception ex) {
                if (ex instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                failures++;
                if (failures >= this.settings.retry().maxAttempts()) {
                    if (batch.latest().size() > 1) {
                        // One bad value (a constraint, a value the writer cannot take) must not take the others
                        // with it: each key is tried once more on its own, and only those that fail again go.
                        logger.warn("Write-behind batch of cache '" + this.cache + "' failed " + failures
                                + " times; writing its " + batch.latest().size() + " keys one by one", ex);
                        for (WriteBatch single : batch.perKey()) {
                            flushAlone(single);
                        }
                        return;
                    }
                    deadLetter(batch, failures, ex);
                    return;
                }
                this.retried.increment();
                logger.debug("Write-behind batch of cache '" + this.cache + "' failed (attempt " + failures
                        + "); retrying", ex);
                sleep(this.settings.retry().backoff(failures));
                continue;
            }
            this.log.ack(this.cache, batch.ids());
            this.flushed.add(batch.latest().size());
            return;
        }
    }

    private void flushAlone(WriteBatch single) throws InterruptedException {
        try {
            this.writer.write(single.latest());
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            deadLetter(single, 1, ex);
            return;
        }
        this.log.ack(this.cache, single.ids());
        this.flushed.add(1);
    }

    private void deadLetter(WriteBatch batch, int failures, Exception ex) {
        logger.warn("Write-behind of " + batch.latest().size() + " key(s) of cache '" + this.cache + "' failed "
                + failures + " time(s) in a row; moving " + batch.all().size() + " entries to the dead-letter log", ex);
        this.log.deadLetter(this.cache, batch.all(), String.valueOf(ex));
        this.deadLettered.add(batch.all().size());
    }

    private void pause(Duration duration) throws InterruptedException {
        synchronized (this.wakeUp) {
            if (this.running) {
                this.wakeUp.wait(Math.max(1, duration.toMillis()));
            }
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }

    private void warn(String message, RuntimeException ex) {
        long now = System.nanoTime();
        if (now - this.lastWarning > TimeUnit.SECONDS.toNanos(10) || this.lastWarning == 0) {
            this.lastWarning = now;
            logger.warn(message + ": " + ex);
        }
        else {
            logger.debug(message, ex);
        }
    }

    /**
     * Stops flushing: waits up to {@code shutdown-timeout} for the batch under way, then interrupts it. What is not
     * acknowledged stays in the log, pending, for another instance (or the next start) to write.
     */
    @Override
    public void close() {
        Thread current;
        synchronized (this) {
            current = this.thread;
            this.running = false;
        }
        if (current == null) {
            return;
        }
        synchronized (this.wakeUp) {
            this.wakeUp.notifyAll();
        }
        try {
            current.join(Math.max(1, this.settings.shutdownTimeout().toMillis()));
            if (current.isAlive()) {
                current.interrupt();
                current.join(1000);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            // Another instance may lead at once; what this one left pending it takes over after claim-min-idle.
            this.log.resign(this.cache, this.consumer);
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot give up flushing cache '" + this.cache + "'; the right expires by itself", ex);
        }
    }
}
