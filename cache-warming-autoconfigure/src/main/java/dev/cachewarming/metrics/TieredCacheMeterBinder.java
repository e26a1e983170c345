package dev.cachewarming.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cachewarming.cache.CacheStatistics;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Publishes the counts of every {@link TieredCache} as Micrometer meters, including caches created after binding:
 * what Spring Boot's standard cache meters ({@link StandardCacheMeterBinder}) do not cover, per tier, loads, the
 * shared tier, stampede protection and refresh-ahead.
 *
 * <p>The meters read the caches' own counters when scraped, so the hit path never touches Micrometer. The one
 * exception is the {@code cache.tiered.load} timer, recorded by each loader call (never by a hit), so that
 * {@code management.metrics.distribution.*} (percentiles, histogram buckets, SLOs) applies to it.
 *
 * <table>
 * <caption>Meters, each tagged {@code cache}</caption>
 * <tr><td>{@code cache.tiered.gets}</td><td>lookups, tags {@code tier} (l1, l2) and {@code result} (hit, miss)</td></tr>
 * <tr><td>{@code cache.tiered.loads}</td><td>loader calls, tag {@code result} (success, failure)</td></tr>
 * <tr><td>{@code cache.tiered.load.duration}</td><td>time spent in successful loads</td></tr>
 * <tr><td>{@code cache.tiered.load}</td><td>timer of loader calls from binding on, tag {@code result} (success,
 * failure)</td></tr>
 * <tr><td>{@code cache.stampede.coalesced}</td><td>callers that waited for another caller's load in this JVM</td></tr>
 * <tr><td>{@code cache.stampede.leases}</td><td>tag {@code result} (acquired, lost, expired)</td></tr>
 * <tr><td>{@code cache.stampede.stale.served}</td><td>stale values served while the key reloaded</td></tr>
 * <tr><td>{@code cache.stampede.wait.timeouts}</td><td>waits for another instance's load that timed out</td></tr>
 * <tr><td>{@code cache.refresh}</td><td>tag {@code result} (scheduled, succeeded, failed, skipped)</td></tr>
 * <tr><td>{@code cache.tiered.puts}</td><td>values written</td></tr>
 * <tr><td>{@code cache.tiered.evictions}</td><td>tag {@code cause} (size, expired, explicit)</td></tr>
 * <tr><td>{@code cache.tiered.l2.errors}</td><td>tags {@code backend} (redis, memcached) and {@code kind}
 * (command, decode)</td></tr>
 * <tr><td>{@code cache.tiered.redis.errors}</td><td>Redis only, the same counts: tag {@code kind} (command,
 * decode)</td></tr>
 * <tr><td>{@code cache.tiered.size}</td><td>entries in the in-process tier, tag {@code tier} (l1)</td></tr>
 * </table>
 */
public class TieredCacheMeterBinder implements MeterBinder {

    private final TieredCacheRegistry caches;

    // Binding twice to one registry would add a second load listener, and every load would be timed twice.
    private final java.util.Set<MeterRegistry> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param caches the caches to publish
     */
    public TieredCacheMeterBinder(TieredCacheRegistry caches) {
        this.caches = caches;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!this.bound.add(registry)) {
            return;
        }
        this.caches.onCacheCreated((cache) -> bind(cache, registry));
    }

    private void bind(TieredCache cache, MeterRegistry registry) {
        Tags tags = Tags.of("cache", cache.name());
        CacheStatistics stats = cache.stats();
        counter(registry, "cache.tiered.gets", tags.and("tier", "l1", "result", "hit"), stats,
                CacheStatistics::l1Hits, "Lookups answered by a tier");
        counter(registry, "cache.tiered.gets", tags.and("tier", "l1", "result", "miss"), stats,
                CacheStatistics::l1Misses, "Lookups answered by a tier");
        if (cache.isShared()) {
            counter(registry, "cache.tiered.gets", tags.and("tier", "l2", "result", "hit"), stats,
                    CacheStatistics::l2Hits, "Lookups answered by a tier");
            counter(registry, "cache.tiered.gets", tags.and("tier", "l2", "result", "miss"), stats,
                    CacheStatistics::l2Misses, "Lookups answered by a tier");
            bindSharedTierErrors(registry, tags, stats, cache.sharedTierBackend());
        }
        counter(registry, "cache.tiered.loads", tags.and("result", "success"), stats,
                CacheStatistics::loadSuccesses, "Loader calls");
        counter(registry, "cache.tiered.loads", tags.and("result", "failure"), stats,
                CacheStatistics::loadFailures, "Loader calls");
        FunctionTimer.builder("cache.tiered.load.duration", stats, CacheStatistics::loadSuccesses,
                CacheStatistics::totalLoadNanos, TimeUnit.NANOSECONDS)
            .tags(tags)
            .description("Time spent in successful loader calls")
            .register(registry);
        bindLoadTimer(cache, registry, tags);
        counter(registry, "cache.stampede.coalesced", tags, cache, TieredCache::coalescedLoads,
                "Callers that waited for a load already under way in this JVM instead of loading");
        counter(registry, "cache.stampede.stale.served", tags, stats, CacheStatistics::staleServed,
                "Stale values served while their key reloaded");
        counter(registry, "cache.stampede.wait.timeouts", tags, stats, CacheStatistics::waitTimeouts,
                "Callers that stopped waiting for another instance's load");
        if (cache.isShared()) {
            counter(registry, "cache.stampede.leases", tags.and("result", "acquired"), stats,
                    CacheStatistics::leasesAcquired, "Load leases by outcome");
            counter(registry, "cache.stampede.leases", tags.and("result", "lost"), stats,
                    CacheStatistics::leasesLost, "Load leases by outcome");
            counter(registry, "cache.stampede.leases", tags.and("result", "expired"), stats,
                    CacheStatistics::leasesExpired, "Load leases by outcome");
        }
        counter(registry, "cache.refresh", tags.and("result", "scheduled"), stats,
                CacheStatistics::refreshesScheduled, "Refresh-ahead reloads by outcome");
        counter(registry, "cache.refresh", tags.and("result", "succeeded"), stats,
                CacheStatistics::refreshesSucceeded, "Refresh-ahead reloads by outcome");
        counter(registry, "cache.refresh", tags.and("result", "failed"), stats,
                CacheStatistics::refreshesFailed, "Refresh-ahead reloads by outcome");
        counter(registry, "cache.refresh", tags.and("result", "skipped"), stats,
                CacheStatistics::refreshesSkipped, "Refresh-ahead reloads by outcome");
        counter(registry, "cache.tiered.puts", tags, stats, CacheStatistics::puts, "Values written");
        counter(registry, "cache.tiered.evictions", tags.and("cause", "size"), stats,
                CacheStatistics::l1SizeEvictions, "Entries removed");
        counter(registry, "cache.tiered.evictions", tags.and("cause", "expired"), stats,
                CacheStatistics::l1Expirations, "Entries removed");
        counter(registry, "cache.tiered.evictions", tags.and("cause", "explicit"), stats,
                CacheStatistics::evictions, "Entries removed");
        gauge(registry, "cache.tiered.size", tags.and("tier", "l1"), cache, TieredCache::localSize,
                "Entries in the in-process tier");
    }

    /**
     * {@code cache.tiered.l2.errors}, tagged with the backend so that no backend's failures pass for another's;
     * and, for Redis only, the same counts under the older name {@code cache.tiered.redis.errors}, kept so that
     * existing dashboards and alerts go on working.
     */
    private static void bindSharedTierErrors(MeterRegistry registry, Tags tags, CacheStatistics stats,
            String backend) {
        Tags l2 = tags.and("backend", backend);
        counter(registry, "cache.tiered.l2.errors", l2.and("kind", "command"), stats, CacheStatistics::l2Errors,
                "Shared-tier calls of the cache that failed or timed out");
        counter(registry, "cache.tiered.l2.errors", l2.and("kind", "decode"), stats, CacheStatistics::l2DecodeErrors,
                "Shared-tier values that did not decode as the declared type");
        if ("redis".equals(backend)) {
            counter(registry, "cache.tiered.redis.errors", tags.and("kind", "command"), stats,
                    CacheStatistics::l2Errors, "Redis calls of the cache that failed or timed out");
            counter(registry, "cache.tiered.redis.errors", tags.and("kind", "decode"), stats,
                    CacheStatistics::l2DecodeErrors, "Redis values that did not decode as the declared type");
        }
    }

    /**
     * A real timer, not a function timer, since histograms need each duration. Not named {@code cache.load}:
     * Caffeine's meters use that name for a counter, and one name cannot be two meter types in one registry.
     */
    private static void bindLoadTimer(TieredCache cache, MeterRegistry registry, Tags tags) {
        Timer succeeded = Timer.builder("cache.tiered.load")
            .tags(tags.and("result", "success"))
            .description("Loader calls of the cache and how long they took")
            .register(registry);
        Timer failed = Timer.builder("cache.tiered.load")
            .tags(tags.and("result", "failure"))
            .description("Loader calls of the cache and how long they took")
            .register(registry);
        cache.addLoadListener((nanos, success) -> (success ? succeeded : failed).record(nanos,
                TimeUnit.NANOSECONDS));
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, T source, ToLongFunction<T> count,
            String description) {
        FunctionCounter.builder(name, source, (s) -> count.applyAsLong(s))
            .tags(tags)
            .description(description)
            .register(registry);
    }

    private static <T> void gauge(MeterRegistry registry, String name, Tags tags, T source, ToLongFunction<T> value,
            String description) {
        ToDoubleFunction<T> asDouble = (s) -> value.applyAsLong(s);
        Gauge.builder(name, source, asDouble).tags(tags).description(description).register(registry);
    }
}
