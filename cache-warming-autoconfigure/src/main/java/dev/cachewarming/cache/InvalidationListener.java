package dev.cachewarming.cache;

/**
 * Receives what other instances did to shared entries, so the in-process tier (L1) drops what is no longer true.
 */
public interface InvalidationListener {

    /**
     * Another instance wrote or deleted a key.
     * @param cache the cache name
     * @param encodedKey the key as {@link KeyCodec#encode(Object)} wrote it
     */
    void keyChanged(String cache, String encodedKey);

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
}
