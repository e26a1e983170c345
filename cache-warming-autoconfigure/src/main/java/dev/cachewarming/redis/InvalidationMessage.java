package dev.cachewarming.redis;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one instance tells the others on the invalidation channel, as JSON {@code {"i":..,"c":..,"k":..}}, or
 * {@code {"i":..,"c":..,"ks":[..]}} for a batch of keys written together (a warm-up batch).
 *
 * <p>Batch messages go to a channel of their own ({@code <prefix>:invalidations:batch}): an instance of an earlier
 * version, which would read one as a message without a key and clear its whole L1 (and drop its loads under way),
 * does not subscribe to it.
 *
 * @param i the sender's instance id, so a sender ignores its own messages
 * @param c the cache name
 * @param k the encoded key concerned, or {@code null} when the whole cache was cleared (or {@code ks} is given)
 * @param ks the encoded keys concerned, for a batch; {@code null} otherwise
 * @param t what happened: {@code null} when the key's value changed, {@code "r"} when a load lease on it was
 * released without a new value (waiters should look again), {@code "c"} with {@code ks} when the keys' values
 * were replaced rather than warmed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record InvalidationMessage(String i, String c, String k, List<String> ks, String t) {

    static final String LEASE_RELEASED = "r";

    /** With {@code ks}: the keys' values were replaced (a write-through batch), not warmed. */
    static final String CHANGED = "c";

    InvalidationMessage(String i, String c, String k, String t) {
        this(i, c, k, null, t);
    }
}
