package dev.cachewarming.cache;

/**
 * Receives what other instances did to shared entries, so the in-process tier (L1) drops what is no longer true:
 * the direction of the shared-tier port from adapter to core (see {@link SecondLevel}). Implemented by the core
 * (the caches, the lease waiters); called by the adapter that hears the messages
 * ({@code dev.cachewarming.redis.RedisInvalidationSubscriber}) and by what watches the store's availability
 * ({@code RedisAvailabilityMonitor}, the Memcached lease watch). Implementations are cheap and never throw: they
 * run on the adapter's I/O or listener thread.
 */
public interface InvalidationListener {

    /**
     * Another instance wrote or deleted a key.
     * @param cache the cache name
     * @param encodedKey the key as {@link KeyCodec#encode(Object)} wrote it
     */
    void keyChanged(String cache, String encodedKey);

    /**
     * Another instance warmed a key that Redis did not hold (or held unusable): copies of it are out of date, but
     * it is no newer than a load from the same source. By default the same as {@link #keyChanged}.
     * @param cache the cache name
     * @param encodedKey the key as {@link KeyCodec#encode(Object)} wrote it
     */
    default void keyWarmed(String cache, String encodedKey) {
        keyChanged(cache, encodedKey);
    }

    /**
     * Another instance cleared a whole cache.
     * @param cache the cache name
     */
    void cacheCleared(String cache);

    /**
     * Messages may have been missed (the connection to the shared store was lost and is back): every in-process
     * copy of a shared entry must be dropped.
     */
    void resyncRequired();

    /**
     * Messages may not arrive for a while: the connection to the shared store was lost, or the store stopped
     * answering. Whoever waits for a message (another instance's lease release) should stop waiting and look
     * again, or load. Nothing needs dropping yet: {@link #resyncRequired()} follows if messages were lost.
     */
    default void deliveryInterrupted() {
    }

    /**
     * The shared store answers again after an outage during which this instance's subscription held (so no
     * message to it was lost: a lost one is reported by {@link #resyncRequired()}). Changes this instance could
     * not send meanwhile should be sent now. By default the same as {@link #resyncRequired()}.
     */
    default void recovered() {
        resyncRequired();
    }

    /**
     * Another instance gave up its lease on loading a key without writing a value (its load failed): whoever
     * waits for that value should look again.
     * @param cache the cache name
     * @param encodedKey the key as {@link KeyCodec#encode(Object)} wrote it
     */
    default void leaseReleased(String cache, String encodedKey) {
    }

    /**
     * @param listeners listeners to call in order
     * @return one listener that calls them all
     */
    static InvalidationListener composite(InvalidationListener... listeners) {
        return new InvalidationListener() {

            @Override
            public void keyChanged(String cache, String encodedKey) {
                for (InvalidationListener listener : listeners) {
                    listener.keyChanged(cache, encodedKey);
                }
            }

            @Override
            public void keyWarmed(String cache, String encodedKey) {
                for (InvalidationListener listener : listeners) {
                    listener.keyWarmed(cache, encodedKey);
                }
            }

            @Override
            public void cacheCleared(String cache) {
                for (InvalidationListener listener : listeners) {
                    listener.cacheCleared(cache);
                }
            }

            @Override
            public void resyncRequired() {
                for (InvalidationListener listener : listeners) {
                    listener.resyncRequired();
                }
            }

            @Override
            public void deliveryInterrupted() {
                for (InvalidationListener listener : listeners) {
                    listener.deliveryInterrupted();
                }
            }

            @Override
            public void recovered() {
                for (InvalidationListener listener : listeners) {
                    listener.recovered();
                }
            }

            @Override
            public void leaseReleased(String cache, String encodedKey) {
                for (InvalidationListener listener : listeners) {
                    listener.leaseReleased(cache, encodedKey);
                }
            }
        };
    }
}
