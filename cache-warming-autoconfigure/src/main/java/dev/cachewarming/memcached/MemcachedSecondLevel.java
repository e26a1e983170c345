package dev.cachewarming.memcached;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.SecondLevel;

/**
 * The Memcached tier (L2): entries are the same typed JSON as in Redis, under {@code <prefix>:<cache>:<key>}
 * ({@link MemcachedKeys}), with the entry's TTL as the item's expiry ({@link MemcachedTtl}: whole seconds, and
 * the 30-day rule).
 *
 * <p>Memcached has no pub/sub: writes, deletes and clears are told to the other instances through an
 * {@link InvalidationChannel} (Redis pub/sub when the application has Redis too), or not at all
 * ({@link InvalidationChannel#NONE}), and then other instances' in-process copies expire with their
 * {@code l1-ttl}.
 *
 * <p>A batch of warmed values is one pipelined stream per server: an {@code add} (or {@code set}) without reply
 * per key, then one multi-get of the same keys on the same connection; a key counts as written when Memcached
 * holds the batch's own bytes for it. Clearing a cache lists its keys with the LRU crawler
 * ({@link MemcachedKeyDump}) and deletes them: it costs a walk over every item of the servers. Thread-safe.
 */
public final class MemcachedSecondLevel implements SecondLevel {

    private final MemcachedCommandRunner memcached;

    private final MemcachedKeys keys;

    private final InvalidationChannel channel;

    private final MemcachedKeyDump dump;

    private final Clock clock;

    /**
     * @param memcached runs the commands
     * @param keys how items are named
     * @param channel how the other instances are told of changes
     * @param dump lists keys, to clear a cache
     * @param clock the wall clock (for TTLs over 30 days, sent as absolute times)
     */
    public MemcachedSecondLevel(MemcachedCommandRunner memcached, MemcachedKeys keys, InvalidationChannel channel,
            MemcachedKeyDump dump, Clock clock) {
        this.memcached = memcached;
        this.keys = keys;
        this.channel = channel;
        this.dump = dump;
        this.clock = clock;
    }

    /** @return how the other instances are told of changes */
    public InvalidationChannel channel() {
        return this.channel;
    }

    @Override
    public String backend() {
        return "memcached";
    }

    @Override
    public boolean isAvailable() {
        return this.memcached.isAvailable();
    }

    @Override
    public byte[] get(String cache, String key) {
        String item = this.keys.key(cache, key);
        return this.memcached.execute((client, timeout) -> client.get(item, timeout, BytesTranscoder.INSTANCE));
    }

    @Override
    public void set(String cache, String key, byte[] value, long ttlMillis) {
        String item = this.keys.key(cache, key);
        int expiry = MemcachedTtl.expiry(ttlMillis, this.clock.millis());
        this.memcached.execute((client, timeout) -> client.set(item, expiry, value, BytesTranscoder.INSTANCE,
                timeout));
        this.channel.keyChanged(cache, key);
    }

    @Override
    public void delete(String cache, String key) {
        String item = this.keys.key(cache, key);
        this.memcached.execute((client, timeout) -> client.delete(item, timeout));
        this.channel.keyChanged(cache, key);
    }

    @Override
    public void clear(String cache) {
        List<String> items = this.dump.itemKeys(this.keys.cacheSpace(cache));
        if (!items.isEmpty()) {
            this.memcached.executeBatch(items.size(), (client, timeout) -> {
                for (String item : items) {
                    client.deleteWithNoReply(item);
                }
                // A reply on every connection after the deletes: they have all been applied when it comes.
                client.getVersions(timeout);
                return null;
            });
        }
        this.channel.cacheCleared(cache);
    }

    @Override
    public List<byte[]> getAll(String cache, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>(keys.size());
        for (String key : keys) {
            items.add(this.keys.key(cache, key));
        }
        Map<String, byte[]> found = this.memcached.executeBatch(items.size(),
                (client, timeout) -> client.get(new LinkedHashSet<>(items), timeout, BytesTranscoder.INSTANCE));
        List<byte[]> values = new ArrayList<>(items.size());
        for (String item : items) {
            values.add((found != null) ? found.get(item) : null);
        }
        return values;
    }

    @Override
    public boolean[] setAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis,
            boolean[] onlyIfAbsent) {
        boolean[] written = new boolean[keys.size()];
        if (keys.isEmpty()) {
            return written;
        }
        long now = this.clock.millis();
        List<String> items = new ArrayList<>(keys.size());
        for (String key : keys) {
            items.add(this.keys.key(cache, key));
        }
        Map<String, byte[]> held = this.memcached.executeBatch(items.size(), (client, timeout) -> {
            for (int i = 0; i < items.size(); i++) {
                int expiry = MemcachedTtl.expiry(ttlMillis[i], now);
                if (onlyIfAbsent[i]) {
                    client.addWithNoReply(items.get(i), expiry, values.get(i), BytesTranscoder.INSTANCE);
                }
                else {
                    client.setWithNoReply(items.get(i), expiry, values.get(i), BytesTranscoder.INSTANCE);
                }
            }
            // Read back on the same connections, after the writes: a key holds this batch's bytes where it took them.
            return client.get(new LinkedHashSet<>(items), timeout, BytesTranscoder.INSTANCE);
        });
        List<String> changed = new ArrayList<>(keys.size());
        for (int i = 0; i < written.length; i++) {
            written[i] = held != null && Arrays.equals(held.get(items.get(i)), values.get(i));
            if (written[i]) {
                changed.add(keys.get(i));
            }
        }
        if (!changed.isEmpty()) {
            this.channel.keysWarmed(cache, changed);
        }
        return written;
    }
}
