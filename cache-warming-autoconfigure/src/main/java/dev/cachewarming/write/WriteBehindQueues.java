package dev.cachewarming.write;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The write-behind queues of an application, by cache name; starts and stops their flushers. Thread-safe.
 */
public final class WriteBehindQueues implements AutoCloseable {

    private final Map<String, WriteBehindQueue> queues = new ConcurrentHashMap<>();

    private final java.util.List<java.util.function.Consumer<WriteBehindQueue>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with every queue registered so far and with each one registered from now on.
     * @param listener the listener (meters, for instance)
     */
    public synchronized void onRegistered(java.util.function.Consumer<WriteBehindQueue> listener) {
        this.listeners.add(listener);
        this.queues.values().forEach(listener);
    }

    /**
     * @param queue a queue
     * @return the queue registered for its cache, which is {@code queue} unless one was registered before
     */
    public synchronized WriteBehindQueue register(WriteBehindQueue queue) {
        WriteBehindQueue existing = this.queues.putIfAbsent(queue.cacheName(), queue);
        if (existing != null) {
            return existing;
        }
        this.listeners.forEach((listener) -> listener.accept(queue));
        return queue;
    }

    /**
     * @param cacheName a cache name
     * @return its queue, or {@code null} if no write-behind method writes it
     */
    public WriteBehindQueue queue(String cacheName) {
        return this.queues.get(cacheName);
    }

    /** @return every queue */
    public Collection<WriteBehindQueue> queues() {
        return Collections.unmodifiableCollection(this.queues.values());
    }

    /** Starts every flusher. */
    public void start() {
        this.queues.values().forEach((queue) -> queue.flusher().start());
    }

    /** Stops every flusher (see {@link WriteBehindFlusher#close()}). */
    @Override
    public void close() {
        this.queues.values().parallelStream().forEach((queue) -> queue.flusher().close());
    }
}
