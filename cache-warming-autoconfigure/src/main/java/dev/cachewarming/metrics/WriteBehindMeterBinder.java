package dev.cachewarming.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindQueue;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * Write-behind meters, tagged {@code cache}:
 * <ul>
 * <li>{@code cache.write-behind.queue.depth} (gauge): entries in the cache's stream not yet written;</li>
 * <li>{@code cache.write-behind.lag} (gauge, seconds): age of the oldest entry not yet written;</li>
 * <li>{@code cache.write-behind.flushed} (counter): entries written (latest per key of each batch);</li>
 * <li>{@code cache.write-behind.retried} (counter): failed batch attempts that were retried;</li>
 * <li>{@code cache.write-behind.dead-lettered} (counter): entries moved to the dead-letter stream.</li>
 * </ul>
 * The gauges read Redis at most once a second per cache; the counters are this instance's since startup.
 */
public class WriteBehindMeterBinder implements MeterBinder {

    private final WriteBehindQueues queues;

    private final Set<MeterRegistry> bound = ConcurrentHashMap.newKeySet();

    /**
     * @param queues the write-behind queues
     */
    public WriteBehindMeterBinder(WriteBehindQueues queues) {
        this.queues = queues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (this.bound.add(registry)) {
            this.queues.onRegistered((queue) -> bind(queue, registry));
        }
    }

    private static void bind(WriteBehindQueue queue, MeterRegistry registry) {
        WriteBehindFlusher flusher = queue.flusher();
        String cache = queue.cacheName();
        Gauge.builder("cache.write-behind.queue.depth", flusher,
                (f) -> f.recentStatus(System.currentTimeMillis()).depth())
            .tag("cache", cache)
            .description("Entries in the cache's write-behind stream not yet written")
            .register(registry);
        Gauge.builder("cache.write-behind.lag", flusher,
                (f) -> f.recentStatus(System.currentTimeMillis()).lagSeconds())
            .tag("cache", cache)
            .baseUnit("seconds")
            .description("Age of the oldest write-behind entry not yet written")
            .register(registry);
        FunctionCounter.builder("cache.write-behind.flushed", flusher, WriteBehindFlusher::flushed)
            .tag("cache", cache)
            .description("Write-behind entries written (the latest per key of each batch)")
            .register(registry);
        FunctionCounter.builder("cache.write-behind.retried", flusher, WriteBehindFlusher::retried)
            .tag("cache", cache)
            .description("Failed write-behind batch attempts that were retried")
            .register(registry);
        FunctionCounter.builder("cache.write-behind.dead-lettered", flusher, WriteBehindFlusher::deadLettered)
            .tag("cache", cache)
            .description("Write-behind entries moved to the dead-letter stream")
            .register(registry);
    }
}
