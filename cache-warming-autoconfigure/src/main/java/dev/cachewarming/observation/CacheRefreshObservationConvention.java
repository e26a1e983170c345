package dev.cachewarming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names {@code cache.refresh.reload} observations and their key values. Declare a bean of this type to replace
 * {@link DefaultCacheRefreshObservationConvention} (or extend that class to add key values):
 *
 * <pre>{@code
 * @Bean
 * CacheRefreshObservationConvention myCacheRefreshConvention() {
 *     return new DefaultCacheRefreshObservationConvention() {
 *         // override getLowCardinalityKeyValues / getHighCardinalityKeyValues
 *     };
 * }
 * }</pre>
 */
public interface CacheRefreshObservationConvention extends ObservationConvention<CacheRefreshContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CacheRefreshContext;
    }
}
