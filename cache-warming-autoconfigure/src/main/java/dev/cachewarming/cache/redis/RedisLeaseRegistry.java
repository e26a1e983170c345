package dev.cachewarming.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.stampede.LeaseRegistry;

/**
 * Load leases in Redis, the honest way: {@code SET key token NX PX ttl} to take one, a Lua compare-and-pexpire to
 * renew it and a Lua compare-and-delete (which also publishes the wake-up for waiters) to release it, so only the
 * holder (the owner of the random token) can extend or release its lease. Leases are renewed every third of their TTL while held; a holder that dies stops
 * renewing and its lease expires after the TTL.
 *
 * <p>Lease keys are {@code <prefix>::lease:<cache>:<key>}, apart from the entries so that clearing a cache does
 * not drop its leases. Thread-safe.
 */
public final class RedisLeaseRegistry implements LeaseRegistry, AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisLeaseRegistry.class);

    // Owner-checked delete and wake-up in one step: a holder whose lease already passed to another says nothing.
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "redis.call('del', KEYS[1]); redis.call('publish', KEYS[2], ARGV[2]); return 1 else return 0 end";

    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    private final RedisCommandRunner redis;

    private final RedisKeys keys;

    private final RedisSecondLevel messages;

    private final byte[] channel;

    private final ScheduledExecutorService renewals;

    /**
     * @param redis runs the commands
     * @param keys names the lease keys and the channel
     * @param messages writes the release message
     */
    public RedisLeaseRegistry(RedisCommandRunner redis, RedisKeys keys, RedisSecondLevel messages) {
        this.redis = redis;
        this.keys = keys;
        this.messages = messages;
        this.channel = RedisKeys.bytes(keys.invalidationChannel());
        this.renewals = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public boolean isAvailable() {
        return this.redis.isAvailable();
    }

    @Override
    public Lease tryAcquire(String cache, String encodedKey, Duration ttl) {
        byte[] leaseKey = RedisKeys.bytes(this.keys.leaseKey(cache, encodedKey));
        byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        long ttlMillis = ttl.toMillis();
        String reply = this.redis.execute((redis) -> redis.set(leaseKey, token, SetArgs.Builder.nx().px(ttlMillis)));
        if (!"OK".equals(reply)) {
            return null;
        }
        return new RedisLease(cache, encodedKey, leaseKey, token, ttlMillis);
    }

    @Override
    public void close() {
        this.renewals.shutdownNow();
    }

    private final class RedisLease implements Lease {

        private final String cache;

        private final String encodedKey;

        private final byte[] leaseKey;

        private final byte[] token;

        private final AtomicBoolean released = new AtomicBoolean();

        private final ScheduledFuture<?> renewal;

        RedisLease(String cache, String encodedKey, byte[] leaseKey, byte[] token, long ttlMillis) {
            this.cache = cache;
            this.encodedKey = encodedKey;
            this.leaseKey = leaseKey;
            this.token = token;
            long period = Math.max(1, ttlMillis / 3);
            byte[] ttlArgument = Long.toString(ttlMillis).getBytes(StandardCharsets.UTF_8);
            this.renewal = RedisLeaseRegistry.this.renewals.scheduleAtFixedRate(() -> renew(ttlArgument), period,
                    period, TimeUnit.MILLISECONDS);
        }

        private void renew(byte[] ttlArgument) {
            try {
                Long renewed = RedisLeaseRegistry.this.redis.execute((redis) -> redis.eval(RENEW,
                        ScriptOutputType.INTEGER, new byte[][] { this.leaseKey }, this.token, ttlArgument));
                if (renewed == null || renewed == 0L) {
                    logger.debug("Lost the load lease on '" + this.encodedKey + "' of cache '" + this.cache
                            + "' while loading; another instance may load it too");
                    this.renewal.cancel(false);
                }
            }
            catch (RuntimeException ex) {
                logger.debug("Could not renew the load lease on '" + this.encodedKey + "'", ex);
            }
        }

        @Override
        public void release() {
            if (!this.released.compareAndSet(false, true)) {
                return;
            }
            this.renewal.cancel(false);
            byte[] message = RedisLeaseRegistry.this.messages.message(this.cache, this.encodedKey,
                    InvalidationMessage.LEASE_RELEASED);
            try {
                RedisLeaseRegistry.this.redis.execute((redis) -> redis.eval(RELEASE, ScriptOutputType.INTEGER,
                        new byte[][] { this.leaseKey, RedisLeaseRegistry.this.channel }, this.token, message));
            }
            catch (RuntimeException ex) {
                // The lease expires on its own after its TTL.
                logger.debug("Could not release the load lease on '" + this.encodedKey + "'", ex);
            }
        }
    }
}
