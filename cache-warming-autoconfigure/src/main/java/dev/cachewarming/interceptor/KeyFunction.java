package dev.cachewarming.interceptor;

import java.lang.reflect.Method;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;

import dev.cachewarming.cache.ArgumentsKey;

/**
 * Computes the cache key of a call from its arguments. Chosen once per method at startup; the common forms (the
 * argument, the ordered arguments, {@code #name}) read the arguments directly, without SpEL.
 */
@FunctionalInterface
interface KeyFunction {

    /**
     * @param arguments the call's arguments
     * @return the key; {@code null} means the call is not cached
     */
    Object key(Object[] arguments);

    static KeyFunction argument(int index) {
        return (arguments) -> arguments[index];
    }

    static KeyFunction arguments() {
        return ArgumentsKey::new;
    }

    static KeyFunction constant(Object key) {
        return (arguments) -> key;
    }

    static KeyFunction expression(Expression expression, Method method) {
        ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
        return (arguments) -> expression.getValue(new MethodBasedEvaluationContext(null, method, arguments, names));
    }
}
