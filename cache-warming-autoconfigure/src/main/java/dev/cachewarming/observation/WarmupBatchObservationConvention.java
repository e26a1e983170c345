package dev.cachewarming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names {@code cache.warming.batch} observations and their key values. Declare a bean of this type to replace
 * {@link DefaultWarmupBatchObservationConvention} (or extend that class to add key values):
 *
 * <pre>{@code
 * @Bean
 * WarmupBatchObservationConvention myWarmupBatchConvention() {
 *     return new DefaultWarmupBatchObservationConvention() {
 *         // override getLowCardinalityKeyValues / getHighCardinalityKeyValues
 *     };
 * }
 * }</pre>
 */
public interface WarmupBatchObservationConvention extends ObservationConvention<WarmupBatchContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof WarmupBatchContext;
    }
}
