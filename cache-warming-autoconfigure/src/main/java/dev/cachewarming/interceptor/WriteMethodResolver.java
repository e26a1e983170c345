package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JavaType;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Resolves the target of a write annotation ({@code @WriteThrough}, {@code @WriteBehind}): the cache it writes and
 * the expressions that make its entries. Every mistake (an unknown cache, bad SpEL, nothing to write, a value the
 * cache cannot hold) is an {@link InvalidCachedMethodException} naming the method and the fix, raised at startup.
 */
final class WriteMethodResolver {

    private final TieredCacheRegistry registry;

    private final SpelExpressionParser parser = new SpelExpressionParser();

    private final DefaultParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

    /**
     * The resolved target of one write method.
     *
     * @param description the method, for messages
     * @param cache the cache written
     * @param valueType the cache's declared value type
     * @param expressions makes a call's entries
     */
    record WriteTarget(String description, TieredCache cache, JavaType valueType, WriteExpressions expressions) {
    }

    WriteMethodResolver(TieredCacheRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param annotation the annotation's simple name, for messages, e.g. {@code @WriteThrough}
     * @param invoked the method
     * @param targetClass the class it is called on
     * @param cacheName the annotation's cache name
     * @param keyExpression its key
     * @param valueExpression its value, or empty for the result
     * @return the target
     * @throws InvalidCachedMethodException if the annotation cannot be honoured
     */
    WriteTarget resolve(String annotation, Method invoked, Class<?> targetClass, String cacheName,
            String keyExpression, String valueExpression) {
        Method method = BridgeMethodResolver.findBridgedMethod(invoked);
        String description = CachedMethodResolver.describe(method);
        TieredCache cache = (cacheName.isEmpty()) ? null : this.registry.find(cacheName);
        JavaType valueType = (cache != null) ? this.registry.valueType(cacheName) : null;
        if (cache == null || valueType == null) {
            throw new InvalidCachedMethodException(description, annotation + " writes cache '" + cacheName
                    + "', which no reading method declares with a value type",
                    "Use the cacheName of a @StampedeProtected, @RefreshAhead or @Warmable method, or set "
                            + "cache-warming.caches." + (cacheName.isEmpty() ? "<name>" : cacheName) + ".value-type.");
        }
        ResolvableType returnType = ResolvableType.forMethodReturnType(method, targetClass);
        boolean returnsVoid = returnType.resolve() == void.class || returnType.resolve() == Void.class;
        String[] names = this.parameterNames.getParameterNames(method);
        Expression key = parse(description, annotation, "key", keyExpression, names, method.getParameterCount(),
                !returnsVoid);
        boolean perElement = references(key, "element");
        Expression value = valueExpression.isEmpty() ? null
                : parse(description, annotation, "value", valueExpression, names, method.getParameterCount(),
                        !returnsVoid);
        perElement = perElement || (value != null && references(value, "element"));
        if (value == null && returnsVoid) {
            throw new InvalidCachedMethodException(description, annotation + " has no value to write: the method "
                    + "returns void and no value expression is given",
                    "Return the saved object, or set value = \"#product\" (a parameter) on " + annotation + ".");
        }
        ResolvableType written = returnType;
        if (perElement) {
            written = returnType.isArray() ? returnType.getComponentType() : returnType.as(Iterable.class);
            if (written == ResolvableType.NONE) {
                throw new InvalidCachedMethodException(description, annotation + " refers to #element but the method "
                        + "returns " + returnType + ", not an Iterable or array",
                        "Return the saved collection, or refer to #result instead of #element.");
            }
            written = returnType.isArray() ? written : written.getGeneric(0);
        }
        Class<?> cached = valueType.getRawClass();
        boolean wrap = cached == Optional.class;
        if (value == null) {
            Class<?> content = wrap ? valueType.containedTypeOrUnknown(0).getRawClass() : cached;
            Class<?> produced = written.resolve();
            boolean fits = produced == null || org.springframework.util.ClassUtils.isAssignable(content, produced)
                    || (wrap && produced == Optional.class);
            if (!fits) {
                throw new InvalidCachedMethodException(description, annotation + " would write " + produced.getName()
                        + " values into cache '" + cacheName + "', which holds " + valueType.toCanonical(),
                        "Write a value of the cache's type: set value = \"...\" on " + annotation + ".");
            }
        }
        return new WriteTarget(description, cache, valueType, new WriteExpressions(method, key, value, perElement,
                wrap));
    }

    private Expression parse(String description, String annotation, String attribute, String expression,
            String[] names, int count, boolean hasResult) {
        if (expression.isBlank()) {
            throw new InvalidCachedMethodException(description, annotation + " has no " + attribute,
                    "Set " + attribute + " = \"#result.id\" (or a parameter such as #p0.id).");
        }
        Expression parsed;
        try {
            parsed = this.parser.parseExpression(expression);
        }
        catch (ParseException ex) {
            throw new InvalidCachedMethodException(description, annotation + " " + attribute + " '" + expression
                    + "' is not a valid SpEL expression: " + ex.getMessage(),
                    "Fix the " + attribute + ", e.g. " + attribute + " = \"#result.id\".");
        }
        Set<String> known = new LinkedHashSet<>();
        if (names != null) {
            known.addAll(Arrays.asList(names));
        }
        for (int i = 0; i < count; i++) {
            known.add("p" + i);
            known.add("a" + i);
        }
        known.addAll(List.of("root", "this", "element"));
        if (hasResult) {
            known.add("result");
        }
        for (String variable : variables(parsed)) {
            if (!known.contains(variable)) {
                throw new InvalidCachedMethodException(description, annotation + " " + attribute + " '" + expression
                        + "' refers to '#" + variable + "', which is neither a parameter nor "
                        + (hasResult ? "#result or #element" : "#element (the method returns void)"),
                        "Refer to a parameter by name (#product) or position (#p0), or to #result.");
            }
        }
        return parsed;
    }

    private static boolean references(Expression expression, String variable) {
        return variables(expression).contains(variable);
    }

    private static List<String> variables(Expression expression) {
        List<String> used = new ArrayList<>();
        if (expression instanceof SpelExpression spel) {
            collect(spel.getAST(), used);
        }
        return used;
    }

    private static void collect(SpelNode node, List<String> into) {
        if (node instanceof VariableReference) {
            into.add(node.toStringAST().substring(1));
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collect(node.getChild(i), into);
        }
    }
}
