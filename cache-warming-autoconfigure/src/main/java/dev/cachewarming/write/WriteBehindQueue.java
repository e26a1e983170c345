package dev.cachewarming.write;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.ValueJson;

/**
 * Accepts write-behind writes of one cache: appends each to the durable log, then writes it to the cache.
 *
 * <pre>{@code
 * WriteBehindQueue products = writeBehind.queue("products");
 * products.enqueue(product.id(), product); // in Redis when this returns; the database gets it later
 * }</pre>
 *
 * <p>The log comes first: a value in the cache that the database never gets would be worse than a write the
 * caller sees fail. Thread-safe.
 */
public final class WriteBehindQueue {

    private final TieredCache cache;

    private final WriteBehindLog log;

    private final ValueJson json;

    private final WriteBehindFlusher flusher;

    private final boolean wrapInOptional;

    /**
     * @param cache the cache written
     * @param log the durable log
     * @param json writes values as JSON (no class names: the writer's declared type reads them back)
     * @param flusher writes the log to the database
     * @param wrapInOptional whether the cache holds {@code Optional}s of the values
     */
    public WriteBehindQueue(TieredCache cache, WriteBehindLog log, ValueJson json, WriteBehindFlusher flusher,
            boolean wrapInOptional) {
        this.cache = cache;
        this.log = log;
        this.json = json;
        this.flusher = flusher;
        this.wrapInOptional = wrapInOptional;
    }

    /** @return the cache name */
    public String cacheName() {
        return this.cache.name();
    }

    /** @return the flusher of this cache's log */
    public WriteBehindFlusher flusher() {
        return this.flusher;
    }

    /**
     * Appends a write to the log, then stores the value in the cache.
     * @param key the key
     * @param value the value; the writer receives it as its declared type
     * @throws WriteBehindException if the log could not take it (nothing is cached then)
     */
    public void enqueue(Object key, Object value) {
        enqueueAll(Map.of(key, value));
    }

    /**
     * @param values values by key, appended in iteration order
     * @throws WriteBehindException if the log could not take one (the ones before it are in the log and cached)
     */
    public void enqueueAll(Map<?, ?> values) {
        Map<Object, Object> appended = new LinkedHashMap<>();
        try {
            for (Map.Entry<?, ?> entry : values.entrySet()) {
                Object value = entry.getValue();
                Object plain = (value instanceof Optional<?> optional) ? optional.orElse(null) : value;
                this.log.append(this.cache.name(), this.cache.keyCodec().encode(entry.getKey()),
                        this.json.writeBytes(plain));
                appended.put(entry.getKey(), (this.wrapInOptional && !(value instanceof Optional<?>))
                        ? Optional.ofNullable(value) : value);
            }
        }
        catch (RuntimeException ex) {
            throw new WriteBehindException("Cannot append to the write-behind log of cache '" + this.cache.name()
                    + "': the write is not accepted", ex);
        }
        finally {
            if (!appended.isEmpty()) {
                this.cache.putAll(appended);
            }
        }
    }
}
