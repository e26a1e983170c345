package dev.cachewarming.write;

import java.time.Duration;
import java.util.List;

/**
 * The durable log of write-behind entries, one per cache, read by a consumer group: what the core needs from the
 * store (a Redis Stream in {@code dev.cachewarming.redis.write}).
 *
 * <p>An entry appended stays until {@linkplain #ack acknowledged}; an entry read by a consumer that dies stays
 * pending under that consumer until another {@linkplain #claim claims} it. Methods throw a
 * {@link RuntimeException} when the store fails.
 */
public interface WriteBehindLog {

    /**
     * Appends an entry; durable once this returns (as durable as the store is).
     * @param cache the cache name
     * @param key the encoded key
     * @param value the value's JSON
     * @return the entry's id, ordered by append time
     */
    String append(String cache, String key, byte[] value);

    /**
     * @param cache the cache name
     * @param consumer this instance's consumer name
     * @param count the most entries
     * @return entries no consumer was given yet, oldest first; they are pending under {@code consumer} from now on
     */
    List<Entry> read(String cache, String consumer, int count);

    /**
     * Takes over entries other consumers were given and have not acknowledged for {@code minIdle}.
     * @param cache the cache name
     * @param consumer this instance's consumer name
     * @param minIdle how long an entry must have been idle
     * @param count the most entries
     * @return the claimed entries, oldest first
     */
    List<Entry> claim(String cache, String consumer, Duration minIdle, int count);

    /**
     * @param cache the cache name
     * @return how many entries consumers were given and have not acknowledged yet (any consumer, this one included)
     */
    long pending(String cache);

    /**
     * Acknowledges and removes entries written to the database.
     * @param cache the cache name
     * @param ids the entries' ids
     */
    void ack(String cache, List<String> ids);

    /**
     * Moves entries to the cache's dead-letter log, then acknowledges them.
     * @param cache the cache name
     * @param entries the entries
     * @param reason why they are dead, kept with each
     */
    void deadLetter(String cache, List<Entry> entries, String reason);

    /**
     * Takes, or renews, the right to flush the cache's log: one consumer at a time, so that entries of one key reach
     * the writer in the order they were appended (a new leader first takes over what the last one left pending,
     * which is older than anything not yet read).
     * @param cache the cache name
     * @param consumer this instance's consumer name
     * @param ttl how long the right lasts without renewal
     * @return whether {@code consumer} holds it now
     */
    boolean lead(String cache, String consumer, Duration ttl);

    /**
     * Gives the right to flush up, if {@code consumer} holds it.
     * @param cache the cache name
     * @param consumer this instance's consumer name
     */
    void resign(String cache, String consumer);

    /**
     * @param cache the cache name
     * @param nowMillis the current time, epoch milliseconds
     * @return what the log holds now
     */
    Status status(String cache, long nowMillis);

    /**
     * One write-behind entry.
     *
     * @param id its id in the log, ordered by append time
     * @param key the encoded key
     * @param value the value's JSON
     */
    record Entry(String id, String key, byte[] value) {
    }

    /**
     * @param depth entries not yet written (pending or not yet read)
     * @param pending entries read by a consumer and not yet acknowledged
     * @param lagSeconds age of the oldest entry not yet written, 0 when there is none
     * @param deadLetters entries in the dead-letter log
     */
    record Status(long depth, long pending, double lagSeconds, long deadLetters) {
    }
}
