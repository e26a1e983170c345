package dev.cachewarming.cache.redis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one instance tells the others on the invalidation channel, as JSON {@code {"i":..,"c":..,"k":..}}.
 *
 * @param i the sender's instance id, so a sender ignores its own messages
 * @param c the cache name
 * @param k the encoded key concerned, or {@code null} when the whole cache was cleared
 * @param t what happened: {@code null} when the key's value changed, {@code "r"} when a load lease on it was
 * released without a new value (waiters should look again)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record InvalidationMessage(String i, String c, String k, String t) {

    static final String LEASE_RELEASED = "r";
}
