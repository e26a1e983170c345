package dev.cachewarming.cache;

import java.util.List;

/**
 * How a shared tier without messaging of its own (Memcached) tells the other instances what changed, so they drop
 * their in-process copies: the sending half of what {@link InvalidationListener} receives.
 *
 * <p>A port of the shared tier (see {@link SecondLevel}). Redis sends its invalidations itself (pub/sub, pipelined
 * with the write). A backend that cannot is given a channel:
 * {@code dev.cachewarming.redis.RedisPubSubInvalidationChannel} when the application also has Redis, or
 * {@link #NONE}, and then an in-process copy may stay stale for up to its {@code l1-ttl}.
 *
 * <p>Implementations never throw: a message that cannot be sent is lost, and the copies it would have dropped
 * expire with their {@code l1-ttl}.
 */
public interface InvalidationChannel {

    /** No channel: other instances are not told; their in-process copies expire with {@code l1-ttl}. */
    InvalidationChannel NONE = new InvalidationChannel() {

        @Override
        public void keyChanged(String cache, String encodedKey) {
        }

        @Override
        public void keysWarmed(String cache, List<String> encodedKeys) {
        }

        @Override
        public void cacheCleared(String cache) {
        }

        @Override
        public void leaseReleased(String cache, String encodedKey) {
        }

        @Override
        public boolean reachesOtherInstances() {
            return false;
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /**
     * This instance wrote or deleted a key.
     * @param cache the cache name
     * @param encodedKey the key as {@link KeyCodec#encode(Object)} wrote it
     */
    void keyChanged(String cache, String encodedKey);

    /**
     * This instance warmed keys the shared tier did not hold (see {@link InvalidationListener#keyWarmed}).
     * @param cache the cache name
     * @param encodedKeys the keys written
     */
    void keysWarmed(String cache, List<String> encodedKeys);

    /**
     * This instance cleared a whole cache.
     * @param cache the cache name
     */
    void cacheCleared(String cache);

    /**
     * This instance gave up its load lease on a key; waiters elsewhere should look again.
     * @param cache the cache name
     * @param encodedKey the key
     */
    void leaseReleased(String cache, String encodedKey);

    /** @return whether other instances hear this channel (false for {@link #NONE}) */
    boolean reachesOtherInstances();

    /** @return a short name for logs and {@code /actuator/warming}, e.g. {@code redis-pubsub} or {@code none} */
    String describe();
}
