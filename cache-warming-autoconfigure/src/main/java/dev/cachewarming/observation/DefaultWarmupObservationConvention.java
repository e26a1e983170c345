package dev.cachewarming.observation;

import io.micrometer.common.KeyValues;

import dev.cachewarming.observation.CacheObservationDocumentation.CommonKeys;

/**
 * The default convention of a warm-up run: named {@code cache.warming}, with {@code cache} (the re-warmed cache, or
 * {@code all}) and {@code result} as low-cardinality key values and never the cache key. Not final, so a subclass can
 * add key values.
 */
public class DefaultWarmupObservationConvention implements WarmupObservationConvention {

    /** A shared instance. */
    public static final DefaultWarmupObservationConvention INSTANCE = new DefaultWarmupObservationConvention();

    // The result of an observation that has not ended yet (what handlers see when it starts).
    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return "cache.warming";
    }

    @Override
    public String getContextualName(WarmupContext context) {
        return (context.isAllCaches() || context.getCacheNames().isEmpty()) ? "warm-up"
                : "warm-up " + context.getCacheNames().get(0);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(WarmupContext context) {
        return KeyValues.of(CommonKeys.CACHE.withValue(context.isAllCaches() ? WarmupContext.ALL_CACHES
                : String.join(",", context.getCacheNames())),
                CommonKeys.RESULT.withValue((context.getResult() != null) ? context.getResult() : UNKNOWN));
    }
}
