package dev.cachewarming.cache.redis;

/**
 * What one instance tells the others on the invalidation channel, as JSON {@code {"i":..,"c":..,"k":..}}.
 *
 * @param i the sender's instance id, so a sender ignores its own messages
 * @param c the cache name
 * @param k the encoded key that changed, or {@code null} when the whole cache was cleared
 */
record InvalidationMessage(String i, String c, String k) {
}
