package dev.cachewarming.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidCacheWarmingPropertyException} into Spring Boot's startup report:
 *
 * <pre>
 * Description:
 *
 * Invalid value '1.5' for property 'cache-warming.caches.products.jitter': jitter must be at least 0 and below 1
 *
 * Action:
 *
 * Set 'cache-warming.caches.products.jitter' to a fraction such as 0.1 (10%), or 0 for no jitter.
 * </pre>
 */
class InvalidCacheWarmingPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCacheWarmingPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCacheWarmingPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
