package dev.cachewarming.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.stampede.LeaseRegistry;

/**
 * Load leases in Redis, the honest way: {@code SET key token NX PX ttl} to take one, a Lua compare-and-pexpire to
 * renew it and a Lua compare-and-delete (which also publishes the wake-up for waiters) to release it, so only the
 * holder (the owner of the random token) can extend or release its lease. A held lease is renewed every third of
 * its TTL, and at least every 500 ms: the renewals are the holder's heartbeat, and a lease that missed three of them
 * is taken over by the next instance that asks (its holder died, or cannot reach Redis), in the same script as the
 * {@code SET NX}. Renewals and the release are sent in the background, whether or not the circuit breaker lets
 * other commands through; the release is retried until it lands or the lease would have expired.
 *
 * <p>Lease keys are {@code <prefix>::lease:<cache>:<key>}, apart from the entries so that clearing a cache does
 * not drop its leases. Thread-safe.
 */
public final class RedisLeaseRegistry implements LeaseRegistry, AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisLeaseRegistry.class);

    // Owner-checked delete and wake-up in one step: a holder whose lease already passed to another says nothing.
    // The channel is an argument, not a key: on Redis Cluster a script's keys must share a slot (CROSSSLOT
    // otherwise), and a PUBLISH from a script reaches subscribers on every node.
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "redis.call('del', KEYS[1]); redis.call('publish', ARGV[3], ARGV[2]); return 1 else return 0 end";

    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    // SET NX PX, or take over a lease its holder stopped renewing (less than ARGV[3] ms left of it): the holder died,
    // or it cannot reach Redis (a partition, its master failed over) and would leave the others waiting for the TTL.
    private static final String ACQUIRE = "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end "
            + "local left = redis.call('pttl', KEYS[1]) "
            + "if left >= 0 and left < tonumber(ARGV[3]) then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) "
            + "return 2 end return 0";

    /** The most time between two renewals of a held lease: its holder's heartbeat. */
    static final long MAX_RENEWAL_PERIOD_MILLIS = 500;

    private static final long RELEASE_RETRY_MILLIS = 100;

    // Short: after a Cluster failover, waiters elsewhere wait for this release (it is one small script).
    private static final long MAX_RELEASE_RETRY_MILLIS = 500;

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
        byte[] ttlArgument = RedisKeys.bytes(Long.toString(ttlMillis));
        byte[] abandonedBelow = RedisKeys.bytes(Long.toString(abandonedBelowMillis(ttlMillis)));
        Long reply = this.redis.execute((redis) -> redis.eval(ACQUIRE, ScriptOutputType.INTEGER,
                new byte[][] { leaseKey }, token, ttlArgument, abandonedBelow));
        if (reply == null || reply == 0L) {
            return null;
        }
        if (reply == 2L) {
            logger.debug("Took over the load lease on '" + encodedKey + "' of cache '" + cache
                    + "': its holder stopped renewing it");
        }
        return new RedisLease(cache, encodedKey, leaseKey, token, ttlMillis);
    }

    /** How often a held lease is renewed: a third of its TTL, and at least every half second. */
    static long renewalPeriodMillis(long ttlMillis) {
        return Math.max(1, Math.min(ttlMillis / 3, MAX_RENEWAL_PERIOD_MILLIS));
    }

    /**
     * @return the time left on a lease below which it counts as abandoned: three renewals missed (0 when the TTL
     * is too short for that, and a lease is only taken once it expired)
     */
    static long abandonedBelowMillis(long ttlMillis) {
        return Math.max(0, ttlMillis - 3 * renewalPeriodMillis(ttlMillis));
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

        private final long ttlMillis;

        RedisLease(String cache, String encodedKey, byte[] leaseKey, byte[] token, long ttlMillis) {
            this.ttlMillis = ttlMillis;
            this.cache = cache;
            this.encodedKey = encodedKey;
            this.leaseKey = leaseKey;
            this.token = token;
            long period = renewalPeriodMillis(ttlMillis);
            byte[] ttlArgument = Long.toString(ttlMillis).getBytes(StandardCharsets.UTF_8);
            this.renewal = RedisLeaseRegistry.this.renewals.scheduleAtFixedRate(() -> renew(ttlArgument), period,
                    period, TimeUnit.MILLISECONDS);
        }

        /**
         * The holder's heartbeat: sent past the circuit breaker (a breaker opened by a few slow answers must not
         * let the others take the lease over while Redis still hears this holder), without waiting for the answer.
         */
        private void renew(byte[] ttlArgument) {
            RedisLeaseRegistry.this.redis
                .send((redis) -> redis.eval(RENEW, ScriptOutputType.INTEGER, new byte[][] { this.leaseKey },
                        this.token, ttlArgument))
                .whenComplete((renewed, failure) -> {
                    if (failure != null) {
                        logger.debug("Could not renew the load lease on '" + this.encodedKey + "'", failure);
                    }
                    else if (renewed == null || ((Long) renewed) == 0L) {
                        logger.debug("Lost the load lease on '" + this.encodedKey + "' of cache '" + this.cache
                                + "' while loading; another instance may load it too");
                        this.renewal.cancel(false);
                    }
                });
        }

        @Override
        public void release() {
            if (!this.released.compareAndSet(false, true)) {
                return;
            }
            this.renewal.cancel(false);
            byte[] message = RedisLeaseRegistry.this.messages.message(this.cache, this.encodedKey,
                    InvalidationMessage.LEASE_RELEASED);
            // Sent in the background and past an open circuit breaker: the caller has its value already, and a
            // release skipped because this instance's breaker opened during the load (a few slow answers are
            // enough), or lost with a failed Cluster master (its replica took the lease over), would leave the other
            // instances' waiters blocked on the lease until its TTL. So it is retried until it lands or the lease
            // would have expired anyway; a release that runs twice is harmless (the second finds no lease of its).
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.ttlMillis);
            schedule(() -> sendRelease(message, deadline, RELEASE_RETRY_MILLIS), 0);
        }

        private void sendRelease(byte[] message, long deadline, long retryMillis) {
            RedisLeaseRegistry.this.redis
                .send((redis) -> redis.eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] { this.leaseKey },
                        this.token, message, RedisLeaseRegistry.this.channel))
                .whenComplete((released, failure) -> {
                    if (failure == null) {
                        return;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        logger.debug("Could not release the load lease on '" + this.encodedKey + "'; it expires on "
                                + "its own", failure);
                        return;
                    }
                    schedule(() -> sendRelease(message, deadline, Math.min(retryMillis * 2, MAX_RELEASE_RETRY_MILLIS)),
                            retryMillis);
                });
        }

        private void schedule(Runnable task, long delayMillis) {
            try {
                RedisLeaseRegistry.this.renewals.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException ex) {
                // Shutting down: the lease expires on its own after its TTL.
                logger.debug("Could not release the load lease on '" + this.encodedKey + "'", ex);
            }
        }
    }
}
