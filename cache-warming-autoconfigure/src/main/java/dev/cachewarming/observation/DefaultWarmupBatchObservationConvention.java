package dev.cachewarming.observation;

import io.micrometer.common.KeyValues;

import dev.cachewarming.observation.CacheObservationDocumentation.BatchKeys;
import dev.cachewarming.observation.CacheObservationDocumentation.CommonKeys;

/**
 * The default convention of a warm-up batch: named {@code cache.warming.batch}, with {@code cache}, {@code load.mode},
 * {@code tier} and {@code result} as low-cardinality key values and never the cache key. Not final, so a subclass can
 * add key values.
 */
public class DefaultWarmupBatchObservationConvention implements WarmupBatchObservationConvention {

    /** A shared instance. */
    public static final DefaultWarmupBatchObservationConvention INSTANCE =
            new DefaultWarmupBatchObservationConvention();

    @Override
    public String getName() {
        return "cache.warming.batch";
    }

    @Override
    public String getContextualName(WarmupBatchContext context) {
        return "warm-up batch " + context.getCacheName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(WarmupBatchContext context) {
        return KeyValues.of(CommonKeys.CACHE.withValue(context.getCacheName()),
                BatchKeys.LOAD_MODE.withValue(context.getLoadMode()), BatchKeys.TIER.withValue(context.getTier()),
                CommonKeys.RESULT.withValue(context.getResult().value()));
    }
}
