package dev.cachewarming.interceptor;

import java.lang.reflect.Method;

import dev.cachewarming.cache.KeyCodec;
import dev.cachewarming.warming.WarmableMethod;

/**
 * Makes an extra source of warm-up keys for a {@code @Warmable} method (access-log replay, shadow traffic), or
 * none when it is not configured for the method's cache.
 */
@FunctionalInterface
public interface KeySourceFactory {

    /**
     * @param cacheName the method's cache
     * @param method the method
     * @param argumentsCodec encodes and decodes the method's arguments (as an {@code ArgumentsKey})
     * @return the source, or {@code null}
     */
    WarmableMethod.KeySource create(String cacheName, Method method, KeyCodec argumentsCodec);
}
