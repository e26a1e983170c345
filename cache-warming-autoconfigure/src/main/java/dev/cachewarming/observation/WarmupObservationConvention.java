package dev.cachewarming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names {@code cache.warming} observations and their key values. Declare a bean of this type to replace
 * {@link DefaultWarmupObservationConvention} (or extend that class to add key values):
 *
 * <pre>{@code
 * @Bean
 * WarmupObservationConvention myWarmupConvention() {
 *     return new DefaultWarmupObservationConvention() {
 *         // override getLowCardinalityKeyValues / getHighCardinalityKeyValues
 *     };
 * }
 * }</pre>
 */
public interface WarmupObservationConvention extends ObservationConvention<WarmupContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof WarmupContext;
    }
}
