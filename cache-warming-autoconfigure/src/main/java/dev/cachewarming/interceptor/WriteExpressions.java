package dev.cachewarming.interceptor;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;

/**
 * Turns one call of a write method (its arguments and result) into the cache entries it writes: one key and value,
 * or one per element of the result when the key refers to {@code #element}. Resolved once per method at startup;
 * immutable and thread-safe.
 */
final class WriteExpressions {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final Method method;

    private final Expression key;

    private final Expression value;

    private final boolean perElement;

    private final boolean wrapInOptional;

    /**
     * @param method the annotated method
     * @param key the key expression
     * @param value the value expression, or {@code null} for the result (or the element)
     * @param perElement whether every element of the result is written
     * @param wrapInOptional whether values are wrapped in an {@code Optional} (the cache holds {@code Optional}s)
     */
    WriteExpressions(Method method, Expression key, Expression value, boolean perElement, boolean wrapInOptional) {
        this.method = method;
        this.key = key;
        this.value = value;
        this.perElement = perElement;
        this.wrapInOptional = wrapInOptional;
    }

    /**
     * @param arguments the call's arguments
     * @param result what the method returned
     * @return the entries to write, in order; a {@code null} key leaves its value out
     */
    Map<Object, Object> entries(Object[] arguments, Object result) {
        Map<Object, Object> entries = new LinkedHashMap<>();
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, this.method, arguments, NAMES);
        context.setVariable("result", result);
        if (!this.perElement) {
            add(entries, context, result);
            return entries;
        }
        if (result instanceof Iterable<?> elements) {
            for (Object element : elements) {
                context.setVariable("element", element);
                add(entries, context, element);
            }
        }
        else if (result != null && result.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(result); i++) {
                Object element = Array.get(result, i);
                context.setVariable("element", element);
                add(entries, context, element);
            }
        }
        return entries;
    }

    private void add(Map<Object, Object> entries, MethodBasedEvaluationContext context, Object fallback) {
        Object key = this.key.getValue(context);
        if (key == null) {
            return;
        }
        Object value = (this.value != null) ? this.value.getValue(context) : fallback;
        if (this.wrapInOptional && !(value instanceof Optional<?>)) {
            value = Optional.ofNullable(value);
        }
        entries.put(key, value);
    }
}
