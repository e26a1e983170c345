package dev.cachewarming.autoconfigure;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.cachewarming.cache.CacheSettings;

import static dev.cachewarming.autoconfigure.CacheWarmingPropertiesValidation.fail;
import static dev.cachewarming.autoconfigure.CacheWarmingPropertiesValidation.require;

/**
 * Resolves each cache's {@link CacheSettings} from {@link CacheWarmingProperties}: {@code caches.<name>} over
 * {@code defaults}. Every configured cache is checked when this is created, so a bad value fails startup with
 * the full name of the property at fault. The properties outside the caches are checked when they are bound
 * ({@link CacheWarmingPropertiesValidation}).
 */
class PropertiesCacheSettings implements Function<String, CacheSettings> {

    private static final String PREFIX = "cache-warming.";

    private final CacheWarmingProperties properties;

    private final Map<String, CacheSettings> resolved = new ConcurrentHashMap<>();

    PropertiesCacheSettings(CacheWarmingProperties properties) {
        this.properties = properties;
        apply("(defaults)");
        properties.getCaches().keySet().forEach(this::apply);
    }

    @Override
    public CacheSettings apply(String cacheName) {
        return this.resolved.computeIfAbsent(cacheName, this::resolve);
    }

    /**
     * @param cacheName a cache name
     * @return the value type configured for it, or {@code null}
     */
    Type valueType(String cacheName) {
        CacheWarmingProperties.CacheOverrides overrides = this.properties.getCaches().get(cacheName);
        return (overrides != null) ? overrides.getValueType() : null;
    }

    private CacheSettings resolve(String cacheName) {
        CacheWarmingProperties.CacheDefaults defaults = this.properties.getDefaults();
        CacheWarmingProperties.CacheOverrides overrides = this.properties.getCaches().get(cacheName);
        String base = (overrides != null) ? PREFIX + "caches." + cacheName + "." : PREFIX + "defaults.";
        boolean own = overrides != null;

        Duration ttl = pick(own ? overrides.getTtl() : null, defaults.getTtl());
        String ttlProperty = (own && overrides.getTtl() != null) ? base + "ttl" : PREFIX + "defaults.ttl";
        require(ttl != null && !ttl.isNegative() && !ttl.isZero(), ttlProperty, ttl, "the ttl must be positive",
                "Set '" + ttlProperty + "' to a positive duration such as 10m.");

        Duration ownL1 = own ? overrides.getL1Ttl() : null;
        Duration l1Ttl = pick(ownL1, defaults.getL1Ttl());
        String l1Property = (ownL1 != null) ? base + "l1-ttl" : PREFIX + "defaults.l1-ttl";
        if (l1Ttl == null) {
            l1Ttl = ttl;
        }
        else if (l1Ttl.compareTo(ttl) > 0) {
            fail(l1Property, l1Ttl, "the in-process TTL must not exceed the ttl (" + ttl + ") of the cache",
                    "Set '" + l1Property + "' to at most " + ttl + ", or raise the ttl.");
        }
        require(!l1Ttl.isNegative() && !l1Ttl.isZero(), l1Property, l1Ttl, "the in-process TTL must be positive",
                "Set '" + l1Property + "' to a positive duration, or remove it to use the ttl.");

        long l1MaxSize = pick(own ? overrides.getL1MaxSize() : null, defaults.getL1MaxSize());
        String sizeProperty = property(base, own && overrides.getL1MaxSize() != null, "l1-max-size");
        require(l1MaxSize >= 1, sizeProperty, l1MaxSize, "the in-process tier must hold at least one entry",
                "Set '" + sizeProperty + "' to a positive number such as 10000.");

        double jitter = pick(own ? overrides.getJitter() : null, defaults.getJitter());
        String jitterProperty = property(base, own && overrides.getJitter() != null, "jitter");
        require(jitter >= 0.0 && jitter < 1.0, jitterProperty, jitter, "jitter must be at least 0 and below 1",
                "Set '" + jitterProperty + "' to a fraction such as 0.1 (10%), or 0 for no jitter.");

        Duration absentTtl = pick(own ? overrides.getAbsentTtl() : null, defaults.getAbsentTtl());
        String absentProperty = property(base, own && overrides.getAbsentTtl() != null, "absent-ttl");
        require(absentTtl != null && !absentTtl.isNegative(), absentProperty, absentTtl,
                "absent-ttl must not be negative", "Set '" + absentProperty + "' to a duration, or 0 to not cache "
                        + "absent results.");

        Duration staleTtl = pick(own ? overrides.getStaleTtl() : null, defaults.getStaleTtl());
        String staleProperty = property(base, own && overrides.getStaleTtl() != null, "stale-ttl");
        require(staleTtl != null && !staleTtl.isNegative(), staleProperty, staleTtl,
                "stale-ttl must not be negative", "Set '" + staleProperty + "' to a duration, or 0 to keep no "
                        + "stale values.");

        boolean l2Enabled = pick(own ? overrides.getL2Enabled() : null, defaults.isL2Enabled());
        return new CacheSettings(ttl, l1Ttl, l1MaxSize, l2Enabled, jitter, absentTtl, staleTtl);
    }

    private static String property(String base, boolean own, String name) {
        return own ? base + name : PREFIX + "defaults." + name;
    }

    private static <T> T pick(T own, T fallback) {
        return (own != null) ? own : fallback;
    }
}
