package dev.cachewarming.cache;

import java.util.List;

/**
 * The shared, out-of-process tier (L2) as the {@link TieredCache} sees it: the main port of the shared tier.
 *
 * <p>Implemented by the adapters {@code dev.cachewarming.redis.RedisSecondLevel} and
 * {@code dev.cachewarming.memcached.MemcachedSecondLevel}; the core never names them (an architecture test fails the
 * build if it does), and {@code autoconfigure} picks one ({@code cache-warming.l2.backend}). The rest of the port:
 * {@code stampede.LeaseRegistry} (load leases), {@code warming.HotKeyStore} and {@code warming.ShadowTraffic}
 * (what to warm), {@link InvalidationChannel} (sending invalidations for a store without messaging of its own) and
 * {@link InvalidationListener} (what an adapter tells the core it heard).
 *
 * <p>What every implementation guarantees:
 * <ul>
 * <li><b>Bytes in, bytes out.</b> Values are opaque bytes (the core's JSON envelope, {@link EntryCodec}); the
 * store never interprets them, and keys are the core's encoded keys, scoped by cache name however the store
 * needs.</li>
 * <li><b>Expiry.</b> A value lives at most about {@code ttlMillis} (a store may round up to its own clock, e.g.
 * whole seconds), and may be evicted earlier: the core treats any value as optional.</li>
 * <li><b>Invalidations.</b> After {@link #set}, {@link #delete}, {@link #clear} and {@link #setAll}, the other
 * instances are told (Redis: pub/sub pipelined with the write; Memcached: through its {@link InvalidationChannel},
 * possibly {@link InvalidationChannel#NONE}, and then another instance may serve its copy until its
 * {@code l1-ttl}).</li>
 * <li><b>Bounded failure.</b> A call fails within a bounded time (the adapter's command timeout) with a
 * {@link SharedTierException}, and fails at once while {@link #isAvailable()} is false. The core catches any
 * {@link RuntimeException}, counts it ({@code cache.tiered.l2.errors}) and serves from L1 and the loader.</li>
 * <li>Thread-safe; no call blocks on another caller's call.</li>
 * </ul>
 */
public interface SecondLevel {

    /** @return whether calls are worth trying now (false while the circuit breaker is open) */
    boolean isAvailable();

    /**
     * The backend's short name, the {@code backend} tag of {@code cache.tiered.l2.errors} and the {@code backend}
     * of {@link SharedTierDescription}.
     * @return lower case, e.g. {@code redis} or {@code memcached}; {@code custom} unless overridden
     */
    default String backend() {
        return "custom";
    }

    /**
     * @param cache the cache name
     * @param key the encoded key
     * @return the stored bytes, or {@code null} if there are none
     */
    byte[] get(String cache, String key);

    /**
     * Stores a value and tells the other instances to drop their in-process copy of the key.
     * @param cache the cache name
     * @param key the encoded key
     * @param value the bytes to store
     * @param ttlMillis how long the store keeps them
     */
    void set(String cache, String key, byte[] value, long ttlMillis);

    /**
     * Deletes a value and tells the other instances to drop their in-process copy of the key.
     * @param cache the cache name
     * @param key the encoded key
     */
    void delete(String cache, String key);

    /**
     * Deletes every value of a cache and tells the other instances to clear their in-process copy of it.
     * @param cache the cache name
     */
    void clear(String cache);

    /**
     * Reads many keys in one round trip.
     * @param cache the cache name
     * @param keys the encoded keys
     * @return the stored bytes of each key, in order, {@code null} where there are none
     */
    List<byte[]> getAll(String cache, List<String> keys);

    /**
     * Stores many values in one round trip (one command or one pipeline, as the store allows), then tells the other
     * instances in one message naming every key written.
     * @param cache the cache name
     * @param keys the encoded keys
     * @param values the bytes to store, in the order of the keys
     * @param ttlMillis how long the store keeps each, in the order of the keys
     * @param onlyIfAbsent per key, whether its value is stored only where the key holds none (warmed values, which
     * must not replace a value another instance wrote after the caller looked)
     * @return for each key, in order, whether its value was stored
     */
    boolean[] setAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis, boolean[] onlyIfAbsent);

    /**
     * Stores many values whatever the keys hold (a write-through batch, a populate), then tells the other
     * instances that those keys <em>changed</em>: their in-process copies are dropped and loads under way there do
     * not store what they read before. The default writes through {@link #setAll} (whose message may tell peers the
     * keys were only warmed); a backend that can say "changed" in one message overrides it.
     * @param cache the cache name
     * @param keys the encoded keys
     * @param values the bytes to store, in the order of the keys
     * @param ttlMillis how long the store keeps each, in the order of the keys
     * @throws RuntimeException if the store failed (some values may have been written)
     */
    default void replaceAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis) {
        setAll(cache, keys, values, ttlMillis, new boolean[keys.size()]);
    }
}
