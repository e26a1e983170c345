package dev.cachewarming.memcached;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import net.rubyeye.xmemcached.GetsResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.stampede.LeaseRegistry;

/**
 * Load leases in Memcached, owner-checked with CAS: the lease item {@code <prefix>::lease:<cache>:<key>} holds the
 * holder's random token.
 *
 * <ul>
 * <li><b>Take</b>: {@code add} (atomic: only one instance creates the item), with the lease TTL as expiry. If the
 * item exists but holds the released marker, {@code gets} + {@code cas} takes it over: of several instances only
 * the one whose CAS value is still current wins.</li>
 * <li><b>Renew</b> (every third of the TTL while the load runs): {@code gets}; if the token is still ours,
 * {@code cas} with the same token and a new expiry. A lease that passed to another holder is never extended.</li>
 * <li><b>Release</b>: {@code gets}; if the token is ours, {@code cas} replaces it with the released marker (which
 * expires in a second or two), then the {@link InvalidationChannel} wakes the other instances' waiters. A holder
 * whose lease already expired and passed on changes nothing.</li>
 * </ul>
 *
 * <p>Why a marker and not a delete: the text protocol's {@code delete} takes no CAS value, so deleting after a
 * check could delete another holder's lease taken in between; {@code cas} cannot. The guarantee is that of the
 * Redis lease (at most one holder at a time while it renews), with Memcached's clock: a lease lasts between its
 * TTL and its TTL plus one second after its last renewal ({@link MemcachedTtl}), and a lease can be lost if
 * Memcached evicts the item under memory pressure (then a second instance may load the key too). Thread-safe.
 */
public final class MemcachedLeaseRegistry implements LeaseRegistry, AutoCloseable {

    private static final Log logger = LogFactory.getLog(MemcachedLeaseRegistry.class);

    static final byte[] RELEASED = "released".getBytes(StandardCharsets.US_ASCII);

    private static final int RELEASED_EXPIRY_SECONDS = 2;

    private final MemcachedCommandRunner memcached;

    private final MemcachedKeys keys;

    private final InvalidationChannel channel;

    private final Clock clock;

    private final ScheduledExecutorService renewals;

    /**
     * @param memcached runs the commands
     * @param keys names the lease items
     * @param channel wakes other instances' waiters on release
     * @param clock the wall clock
     */
    public MemcachedLeaseRegistry(MemcachedCommandRunner memcached, MemcachedKeys keys, InvalidationChannel channel,
            Clock clock) {
        this.memcached = memcached;
        this.keys = keys;
        this.channel = channel;
        this.clock = clock;
        this.renewals = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-memcached-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public boolean isAvailable() {
        return this.memcached.isAvailable();
    }

    @Override
    public Lease tryAcquire(String cache, String encodedKey, Duration ttl) {
        String item = this.keys.leaseKey(cache, encodedKey);
        byte[] token = ("t:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        long ttlMillis = ttl.toMillis();
        int expiry = MemcachedTtl.expiry(ttlMillis, this.clock.millis());
        boolean added = this.memcached.execute((client, timeout) -> client.add(item, expiry, token,
                BytesTranscoder.INSTANCE, timeout));
        if (!added && !takeOverReleased(item, token, expiry)) {
            return null;
        }
        return new MemcachedLease(cache, encodedKey, item, token, ttlMillis);
    }

    private boolean takeOverReleased(String item, byte[] token, int expiry) {
        GetsResponse<byte[]> held = this.memcached.execute((client, timeout) -> client.gets(item, timeout,
                BytesTranscoder.INSTANCE));
        if (held == null) {
            // Expired between the add and this read: one more add decides.
            return this.memcached.execute((client, timeout) -> client.add(item, expiry, token,
                    BytesTranscoder.INSTANCE, timeout));
        }
        if (!Arrays.equals(held.getValue(), RELEASED)) {
            return false;
        }
        return this.memcached.execute((client, timeout) -> client.cas(item, expiry, token, BytesTranscoder.INSTANCE,
                timeout, held.getCas()));
    }

    /**
     * @param value what a lease item holds, or {@code null} if nothing
     * @return whether it is the released marker: its holder gave it up
     */
    static boolean isReleased(byte[] value) {
        return value != null && Arrays.equals(value, RELEASED);
    }

    @Override
    public void close() {
        this.renewals.shutdownNow();
    }

    private final class MemcachedLease implements Lease {

        private final String cache;

        private final String encodedKey;

        private final String item;

        private final byte[] token;

        private final long ttlMillis;

        private final AtomicBoolean released = new AtomicBoolean();

        private final ScheduledFuture<?> renewal;

        MemcachedLease(String cache, String encodedKey, String item, byte[] token, long ttlMillis) {
            this.cache = cache;
            this.encodedKey = encodedKey;
            this.item = item;
            this.token = token;
            this.ttlMillis = ttlMillis;
            long period = Math.max(1, ttlMillis / 3);
            this.renewal = MemcachedLeaseRegistry.this.renewals.scheduleAtFixedRate(this::renew, period, period,
                    TimeUnit.MILLISECONDS);
        }

        private void renew() {
            try {
                int expiry = MemcachedTtl.expiry(this.ttlMillis, MemcachedLeaseRegistry.this.clock.millis());
                if (!replaceOwn(this.token, expiry)) {
                    logger.debug("Lost the load lease on '" + this.encodedKey + "' of cache '" + this.cache
                            + "' while loading; another instance may load it too");
                    this.renewal.cancel(false);
                }
            }
            catch (RuntimeException ex) {
                logger.debug("Could not renew the load lease on '" + this.encodedKey + "'", ex);
            }
        }

        /** Replaces the lease's value with {@code value} if the token is still ours; CAS-checked. */
        private boolean replaceOwn(byte[] value, int expiry) {
            MemcachedCommandRunner memcached = MemcachedLeaseRegistry.this.memcached;
            GetsResponse<byte[]> held = memcached.execute((client, timeout) -> client.gets(this.item, timeout,
                    BytesTranscoder.INSTANCE));
            if (held == null || !Arrays.equals(held.getValue(), this.token)) {
                return false;
            }
            return memcached.execute((client, timeout) -> client.cas(this.item, expiry, value,
                    BytesTranscoder.INSTANCE, timeout, held.getCas()));
        }

        @Override
        public void release() {
            if (!this.released.compareAndSet(false, true)) {
                return;
            }
            this.renewal.cancel(false);
            try {
                if (replaceOwn(RELEASED, RELEASED_EXPIRY_SECONDS)) {
                    MemcachedLeaseRegistry.this.channel.leaseReleased(this.cache, this.encodedKey);
                }
            }
            catch (RuntimeException ex) {
                // The lease expires on its own after its TTL.
                logger.debug("Could not release the load lease on '" + this.encodedKey + "'", ex);
            }
        }
    }
}
