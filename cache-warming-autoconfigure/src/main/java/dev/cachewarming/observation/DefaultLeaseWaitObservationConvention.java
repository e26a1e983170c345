package dev.cachewarming.observation;

import io.micrometer.common.KeyValues;

import dev.cachewarming.observation.CacheObservationDocumentation.CommonKeys;

/**
 * The default convention of a wait for another instance's load: named {@code cache.lease.wait}, with {@code cache} and
 * {@code result} as low-cardinality key values and never the cache key. Not final, so a subclass can add key values.
 */
public class DefaultLeaseWaitObservationConvention implements LeaseWaitObservationConvention {

    /** A shared instance. */
    public static final DefaultLeaseWaitObservationConvention INSTANCE = new DefaultLeaseWaitObservationConvention();

    // The result of an observation that has not ended yet (what handlers see when it starts).
    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return "cache.lease.wait";
    }

    @Override
    public String getContextualName(LeaseWaitContext context) {
        return "lease wait " + context.getCacheName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LeaseWaitContext context) {
        return KeyValues.of(CommonKeys.CACHE.withValue(context.getCacheName()),
                CommonKeys.RESULT.withValue((context.getResult() != null) ? context.getResult().value() : UNKNOWN));
    }
}
