package dev.cachewarming.memcached;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.stampede.LeaseWaiters;

/**
 * Wakes this instance's callers that wait for another instance's load when nothing can tell them the lease was
 * released (Memcached without an invalidation channel): while some caller waits, the lease items of the keys
 * waited on are read every {@code interval} in one multi-get, and the waiters of a key whose lease holds the released
 * marker are woken to look for its value.
 *
 * <p>Nothing is read while nobody waits, so it costs nothing outside stampedes. A waiter woken this way finds the
 * value the holder wrote before releasing its lease, or takes the lease itself. A lease that expired (its holder
 * died) is not signalled: as with Redis, waiters take it over after waiting a lease TTL.
 */
public final class LeaseReleaseWatch implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LeaseReleaseWatch.class);

    private final MemcachedCommandRunner memcached;

    private final MemcachedKeys keys;

    private final LeaseWaiters waiters;

    private final ScheduledExecutorService polls;

    /**
     * Starts watching.
     * @param memcached reads the lease items
     * @param keys names them
     * @param waiters the waiters to wake
     * @param interval how often leases are read while someone waits
     */
    public LeaseReleaseWatch(MemcachedCommandRunner memcached, MemcachedKeys keys, LeaseWaiters waiters,
            Duration interval) {
        this.memcached = memcached;
        this.keys = keys;
        this.waiters = waiters;
        this.polls = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-memcached-lease-watch");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        this.polls.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    void poll() {
        try {
            List<LeaseWaiters.WaitedKey> waited = this.waiters.waitedKeys();
            if (waited.isEmpty() || !this.memcached.isAvailable()) {
                return;
            }
            Map<String, LeaseWaiters.WaitedKey> byItem = new LinkedHashMap<>();
            for (LeaseWaiters.WaitedKey key : waited) {
                byItem.put(this.keys.leaseKey(key.cache(), key.encodedKey()), key);
            }
            Map<String, byte[]> leases = this.memcached.executeBatch(byItem.size(),
                    (client, timeout) -> client.get(byItem.keySet(), timeout, BytesTranscoder.INSTANCE));
            byItem.forEach((item, key) -> {
                if (MemcachedLeaseRegistry.isReleased((leases != null) ? leases.get(item) : null)) {
                    this.waiters.leaseReleased(key.cache(), key.encodedKey());
                }
            });
        }
        catch (RuntimeException ex) {
            // Waiters still give up after a lease TTL and look again on their own.
            logger.debug("Could not read the leases waited on", ex);
        }
    }

    @Override
    public void close() {
        this.polls.shutdownNow();
    }
}
