package dev.cachewarming.observation;

import io.micrometer.common.KeyValues;

import dev.cachewarming.observation.CacheObservationDocumentation.CommonKeys;
import dev.cachewarming.observation.CacheObservationDocumentation.LoadKeys;

/**
 * The default convention of a load: named {@code cache.load}, with {@code cache}, {@code trigger} and {@code result}
 * as low-cardinality key values and never the cache key. Not final, so a subclass can add key values.
 */
public class DefaultCacheLoadObservationConvention implements CacheLoadObservationConvention {

    /** A shared instance. */
    public static final DefaultCacheLoadObservationConvention INSTANCE = new DefaultCacheLoadObservationConvention();

    // The result of an observation that has not ended yet (what handlers see when it starts).
    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return "cache.load";
    }

    @Override
    public String getContextualName(CacheLoadContext context) {
        return "load " + context.getCacheName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CacheLoadContext context) {
        return KeyValues.of(CommonKeys.CACHE.withValue(context.getCacheName()),
                LoadKeys.TRIGGER.withValue(context.getTrigger().value()),
                CommonKeys.RESULT.withValue((context.getResult() != null) ? context.getResult().value() : UNKNOWN));
    }
}
