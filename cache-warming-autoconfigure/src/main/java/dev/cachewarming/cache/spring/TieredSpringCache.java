package dev.cachewarming.cache.spring;

import java.util.concurrent.Callable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.TieredCache;

/**
 * A {@link TieredCache} seen through Spring's {@link org.springframework.cache.Cache} interface, so
 * {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} share the same two tiers.
 *
 * <p>{@code null} results are stored as absent results (see {@code absent-ttl}); {@code sync = true} loads are
 * coalesced per key in this JVM.
 */
public class TieredSpringCache extends AbstractValueAdaptingCache {

    private final TieredCache cache;

    /**
     * @param cache the cache to adapt
     */
    public TieredSpringCache(TieredCache cache) {
        super(true);
        this.cache = cache;
    }

    @Override
    public String getName() {
        return this.cache.name();
    }

    @Override
    public TieredCache getNativeCache() {
        return this.cache;
    }

    @Override
    protected Object lookup(Object key) {
        CacheEntry entry = this.cache.getEntry(key);
        if (entry == null) {
            return null;
        }
        return (entry.value() != null) ? entry.value() : NullValue.INSTANCE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        return (T) this.cache.get(key, () -> {
            try {
                return valueLoader.call();
            }
            catch (Exception ex) {
                throw new ValueRetrievalException(key, valueLoader, ex);
            }
        });
    }

    @Override
    public void put(Object key, Object value) {
        this.cache.put(key, value);
    }

    @Override
    public void evict(Object key) {
        this.cache.evict(key);
    }

    @Override
    public void clear() {
        this.cache.clear();
    }
}
