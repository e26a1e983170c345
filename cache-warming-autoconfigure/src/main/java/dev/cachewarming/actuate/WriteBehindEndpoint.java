package dev.cachewarming.actuate;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindLog;
import dev.cachewarming.write.WriteBehindQueue;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * {@code /actuator/writebehind}: per write-behind cache, its stream's depth, lag, pending and dead-letter counts
 * (read from Redis now, shared by every instance) and this instance's flushed, retried and dead-lettered counts;
 * {@code /actuator/writebehind/{cache}} for one cache. It names no keys or values, so there is nothing to mask.
 */
@Endpoint(id = "writebehind")
public class WriteBehindEndpoint {

    private final WriteBehindQueues queues;

    /**
     * @param queues the write-behind queues
     */
    public WriteBehindEndpoint(WriteBehindQueues queues) {
        this.queues = queues;
    }

    /** @return every write-behind cache, by name */
    @ReadOperation
    public Map<String, CacheWriteBehind> writeBehind() {
        Map<String, CacheWriteBehind> caches = new TreeMap<>();
        for (WriteBehindQueue queue : this.queues.queues()) {
            caches.put(queue.cacheName(), describe(queue.flusher()));
        }
        return caches;
    }

    /**
     * @param cache a cache name
     * @return that cache's write-behind, or {@code null} (404) if it has none
     */
    @ReadOperation
    public CacheWriteBehind cache(@Selector String cache) {
        WriteBehindQueue queue = this.queues.queue(cache);
        return (queue != null) ? describe(queue.flusher()) : null;
    }

    private static CacheWriteBehind describe(WriteBehindFlusher flusher) {
        WriteBehindLog.Status status;
        String error = null;
        try {
            status = flusher.status(System.currentTimeMillis());
        }
        catch (RuntimeException ex) {
            status = null;
            error = "Redis cannot be read: " + ex.getMessage();
        }
        return new CacheWriteBehind((status != null) ? status.depth() : null,
                (status != null) ? status.pending() : null, (status != null) ? status.lagSeconds() : null,
                (status != null) ? status.deadLetters() : null, flusher.flushed(), flusher.retried(),
                flusher.deadLettered(), error);
    }

    /**
     * One cache's write-behind.
     *
     * @param depth entries in the stream not yet written (every instance's)
     * @param pending of those, entries read by an instance and not yet acknowledged
     * @param lagSeconds age of the oldest entry not yet written
     * @param deadLetters entries in the dead-letter stream
     * @param flushed entries this instance wrote since it started
     * @param retried failed batch attempts this instance retried
     * @param deadLettered entries this instance moved to the dead-letter stream
     * @param error why the stream could not be read, or {@code null}
     */
    public record CacheWriteBehind(Long depth, Long pending, Double lagSeconds, Long deadLetters, long flushed,
            long retried, long deadLettered, String error) {
    }
}
