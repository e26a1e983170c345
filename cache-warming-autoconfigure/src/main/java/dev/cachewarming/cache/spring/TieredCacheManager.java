package dev.cachewarming.cache.spring;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Spring {@link CacheManager} over a {@link TieredCacheRegistry}: every name gives a two-level cache with the
 * settings of {@code cache-warming.caches.<name>.*}. Caches are created on first use.
 */
public class TieredCacheManager implements CacheManager {

    private final TieredCacheRegistry registry;

    private final Map<String, TieredSpringCache> adapters = new ConcurrentHashMap<>();

    /**
     * @param registry the caches to expose
     */
    public TieredCacheManager(TieredCacheRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Cache getCache(String name) {
        return this.adapters.computeIfAbsent(name, (n) -> new TieredSpringCache(this.registry.cache(n)));
    }

    @Override
    public Collection<String> getCacheNames() {
        return this.registry.caches().stream().map(TieredCache::name).sorted().toList();
    }
}
