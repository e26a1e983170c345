package dev.cachewarming.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.cachewarming.interceptor.InvalidCachedMethodException;

/**
 * Turns an {@link InvalidCachedMethodException} into Spring Boot's startup report, naming the method and the fix.
 */
class InvalidCachedMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCachedMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCachedMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
