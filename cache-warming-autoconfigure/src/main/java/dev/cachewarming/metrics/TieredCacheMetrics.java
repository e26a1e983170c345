package dev.cachewarming.metrics;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

import dev.cachewarming.cache.CacheStatistics;
import dev.cachewarming.cache.TieredCache;

/**
 * Micrometer's standard cache meters for one {@link TieredCache}: {@code cache.gets{result=hit|miss}},
 * {@code cache.puts}, {@code cache.evictions} and {@code cache.size}, tagged {@code cache} (plus the tags given,
 * {@code name} and {@code cache.manager} when bound the way Spring Boot binds caches), the same meters
 * {@code CaffeineCacheMetrics} and Boot's {@code RedisCacheMetrics} publish, so dashboards built for Spring caches
 * work unchanged.
 *
 * <p>What the counts mean, for a two-level cache:
 * <ul>
 * <li><b>hit</b>: the lookup found a fresh value, in L1 or (after an L1 miss) in Redis:
 * {@link CacheStatistics#l1Hits()} + {@link CacheStatistics#l2Hits()}.</li>
 * <li><b>miss</b>: every other lookup: the caller loaded, waited for another caller's load (in this JVM or under
 * another instance's lease), was served a stale value, or Redis was down:
 * {@link CacheStatistics#l1Misses()} - {@link CacheStatistics#l2Hits()}. Every lookup counts exactly one L1 hit
 * or miss, and a Redis hit is only ever counted after its own L1 miss, so {@code hit + miss} is the number of
 * lookups. (Counting {@code l2Misses} instead would leave out callers that waited for a load, since only one
 * caller per key reads Redis.) For an in-process cache, miss is simply the L1 misses.</li>
 * <li><b>puts</b>: values written (loaded, put or warmed): {@link CacheStatistics#puts()}.</li>
 * <li><b>evictions</b>: L1 entries removed by the size limit or because their time was up, as Caffeine counts
 * evictions; explicit evictions and clears are in {@code cache.tiered.evictions{cause=explicit}}.</li>
 * <li><b>size</b>: entries in L1 (Redis holds the cache's keys among others, so it has no size to report).</li>
 * </ul>
 *
 * <p>The counts are read at scrape time from the cache's own counters: the hit path never touches Micrometer.
 *
 * <pre>{@code
 * new TieredCacheMetrics(cache, Tags.of("cache.manager", "cacheWarming")).bindTo(registry);
 * }</pre>
 */
public class TieredCacheMetrics extends CacheMeterBinder<TieredCache> {

    // Held strongly: the cache's registry keeps the cache anyway, and the base class only keeps a weak reference.
    private final TieredCache cache;

    private final AtomicLong reportedMisses = new AtomicLong();

    /**
     * @param cache the cache
     * @param tags tags added to every meter besides {@code cache}
     */
    public TieredCacheMetrics(TieredCache cache, Iterable<Tag> tags) {
        super(cache, cache.name(), tags);
        this.cache = cache;
    }

    @Override
    protected Long size() {
        return this.cache.localSize();
    }

    @Override
    protected long hitCount() {
        CacheStatistics stats = this.cache.stats();
        return stats.l1Hits() + stats.l2Hits();
    }

    @Override
    protected Long missCount() {
        CacheStatistics stats = this.cache.stats();
        // Redis hits first: each one's L1 miss was counted before it, so the L1 misses read next include it and
        // the difference cannot go below zero.
        long l2Hits = stats.l2Hits();
        long misses = stats.l1Misses() - l2Hits;
        // A Redis read in flight during the scrape counts as a miss now and as a hit later; never report a
        // smaller count than before, which a monitoring system would take for a counter reset.
        return this.reportedMisses.accumulateAndGet(misses, Math::max);
    }

    @Override
    protected Long evictionCount() {
        CacheStatistics stats = this.cache.stats();
        return stats.l1SizeEvictions() + stats.l1Expirations();
    }

    @Override
    protected long putCount() {
        return this.cache.stats().puts();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        // The per-tier, load and Redis meters (cache.tiered.*) come from TieredCacheMeterBinder, once per cache
        // whatever binds these.
    }
}
