package dev.cachewarming.cache;

import java.util.List;

/**
 * The shared, out-of-process tier (L2) as the {@link TieredCache} sees it; Redis in practice
 * ({@code dev.cachewarming.cache.redis}).
 *
 * <p>Writes and deletes also tell the other instances to drop their in-process copy of the key. Every method may
 * throw a {@link RuntimeException} when the store fails; callers count it and carry on without L2. Callers check
 * {@link #isAvailable()} first so that, while the store is known to be down, no call waits on a timeout.
 */
public interface SecondLevel {

    /** @return whether calls are worth trying now (false while the circuit breaker is open) */
    boolean isAvailable();

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
     * Stores many values in one pipelined round trip, then tells the other instances in one message naming every
     * key written.
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
