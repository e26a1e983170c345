package dev.cachewarming.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

import dev.cachewarming.cache.spring.TieredSpringCache;

/**
 * Lets Spring Boot's cache metrics (its {@code CacheMetricsRegistrar}, which binds the caches of every
 * {@code CacheManager} bean at startup, and which applications call for caches they create later) bind the
 * standard meters of the two-level caches, as {@code CaffeineCacheMeterBinderProvider} does for Caffeine.
 *
 * <p>It hands out the binders of a {@link StandardCacheMeterBinder}, so a cache bound both by Boot and by that
 * binder gets its meters once, under the first {@code cache.manager} tag it was bound with.
 */
public class TieredCacheMeterBinderProvider implements CacheMeterBinderProvider<TieredSpringCache> {

    private final StandardCacheMeterBinder binder;

    /**
     * @param binder the binder of the registry's caches
     */
    public TieredCacheMeterBinderProvider(StandardCacheMeterBinder binder) {
        this.binder = binder;
    }

    @Override
    public MeterBinder getMeterBinder(TieredSpringCache cache, Iterable<Tag> tags) {
        return this.binder.binderFor(cache.getNativeCache(), tags);
    }
}
