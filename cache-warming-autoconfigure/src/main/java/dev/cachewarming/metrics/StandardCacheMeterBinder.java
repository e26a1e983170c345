package dev.cachewarming.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Binds the standard cache meters ({@link TieredCacheMetrics}: {@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size}) of every cache of a {@link TieredCacheRegistry}, including caches
 * created later, with the tags Spring Boot gives the caches it binds: {@code cache} and {@code name} (the cache
 * name) and {@code cache.manager}.
 *
 * <p>Spring Boot binds only the caches its {@code CacheManager}s list when the context starts; the caches of
 * annotated methods, and those created on first use, come later. This binder covers them all. Each cache gets
 * one set of standard meters per registry, whichever binds it first: this binder, or Boot through
 * {@link #binderFor} (the {@code TieredCacheMeterBinderProvider}), so that the same cache never shows up as two
 * series under two {@code cache.manager} names.
 *
 * <pre>{@code
 * new StandardCacheMeterBinder(caches, "cacheWarming").bindTo(registry);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public class StandardCacheMeterBinder implements MeterBinder {

    /** The {@code cache.manager} tag of caches that no {@code CacheManager} bean exposes. */
    public static final String DEFAULT_CACHE_MANAGER = "cacheWarming";

    private final TieredCacheRegistry caches;

    private final String cacheManager;

    private final Map<MeterRegistry, Set<TieredCache>> bound = new ConcurrentHashMap<>();

    /**
     * @param caches the caches to bind
     * @param cacheManager the {@code cache.manager} tag: the name Boot gives the {@code CacheManager} bean that
     * exposes them, or {@link #DEFAULT_CACHE_MANAGER}
     */
    public StandardCacheMeterBinder(TieredCacheRegistry caches, String cacheManager) {
        this.caches = caches;
        this.cacheManager = cacheManager;
    }

    /** @return the {@code cache.manager} tag of the caches this binder binds */
    public String cacheManager() {
        return this.cacheManager;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.caches.onCacheCreated((cache) -> binderFor(cache,
                Tags.of("name", cache.name(), "cache.manager", this.cacheManager)).bindTo(registry));
    }

    /**
     * @param cache a cache
     * @param tags the tags besides {@code cache}
     * @return a binder of the cache's standard meters that does nothing for a registry the cache is bound to
     * already (by this binder or by an earlier call)
     */
    public MeterBinder binderFor(TieredCache cache, Iterable<Tag> tags) {
        return (registry) -> {
            if (this.bound.computeIfAbsent(registry, (r) -> ConcurrentHashMap.newKeySet()).add(cache)) {
                new TieredCacheMetrics(cache, tags).bindTo(registry);
            }
        };
    }
}
