package dev.cachewarming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names {@code cache.lease.wait} observations and their key values. Declare a bean of this type to replace
 * {@link DefaultLeaseWaitObservationConvention} (or extend that class to add key values):
 *
 * <pre>{@code
 * @Bean
 * LeaseWaitObservationConvention myLeaseWaitConvention() {
 *     return new DefaultLeaseWaitObservationConvention() {
 *         // override getLowCardinalityKeyValues / getHighCardinalityKeyValues
 *     };
 * }
 * }</pre>
 */
public interface LeaseWaitObservationConvention extends ObservationConvention<LeaseWaitContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LeaseWaitContext;
    }
}
