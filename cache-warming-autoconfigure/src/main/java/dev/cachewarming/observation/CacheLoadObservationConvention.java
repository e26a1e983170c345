package dev.cachewarming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names {@code cache.load} observations and their key values. Declare a bean of this type to replace
 * {@link DefaultCacheLoadObservationConvention} (or extend that class to add key values):
 *
 * <pre>{@code
 * @Bean
 * CacheLoadObservationConvention myCacheLoadConvention() {
 *     return new DefaultCacheLoadObservationConvention() {
 *         // override getLowCardinalityKeyValues / getHighCardinalityKeyValues
 *     };
 * }
 * }</pre>
 */
public interface CacheLoadObservationConvention extends ObservationConvention<CacheLoadContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CacheLoadContext;
    }
}
