package dev.cachewarming.observation;

import io.micrometer.common.KeyValues;

import dev.cachewarming.observation.CacheObservationDocumentation.CommonKeys;

/**
 * The default convention of a refresh-ahead reload: named {@code cache.refresh.reload}, with {@code cache} and
 * {@code result} as low-cardinality key values and never the cache key. Not final, so a subclass can add key values.
 */
public class DefaultCacheRefreshObservationConvention implements CacheRefreshObservationConvention {

    /** A shared instance. */
    public static final DefaultCacheRefreshObservationConvention INSTANCE =
            new DefaultCacheRefreshObservationConvention();

    // The result of an observation that has not ended yet (what handlers see when it starts).
    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return "cache.refresh.reload";
    }

    @Override
    public String getContextualName(CacheRefreshContext context) {
        return "refresh " + context.getCacheName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CacheRefreshContext context) {
        return KeyValues.of(CommonKeys.CACHE.withValue(context.getCacheName()),
                CommonKeys.RESULT.withValue((context.getResult() != null) ? context.getResult().value() : UNKNOWN));
    }
}
