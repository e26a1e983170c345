package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JavaType;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.cache.ArgumentsKey;
import dev.cachewarming.cache.ArgumentsKeyCodec;
import dev.cachewarming.cache.KeyCodec;
import dev.cachewarming.cache.LoadGuard;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.refresh.RefreshAheadScheduler;
import dev.cachewarming.refresh.XFetchPolicy;
import dev.cachewarming.stampede.LeaseLoadGuard;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.stampede.LeaseWaiters;
import dev.cachewarming.stampede.SingleFlight;
import dev.cachewarming.stampede.StampedeOptions;
import dev.cachewarming.warming.HotKeyRecorder;

/**
 * Reads a method's annotations once and builds its {@link CachedMethod}: cache name, key function and key codec,
 * declared value type (the generic return type, resolved against the class it is called on), load guard and
 * refresh target. Every mistake is reported as an {@link InvalidCachedMethodException} naming the method.
 */
public final class CachedMethodResolver {

    private static final Pattern PARAMETER_REFERENCE = Pattern.compile("#(?:[pa](\\d+)|([A-Za-z_$][\\w$]*))");

    private final TieredCacheRegistry registry;

    private final LeaseRegistry leases;

    private final LeaseWaiters waiters;

    private final StampedeOptions stampedeOptions;

    private final RefreshAheadScheduler refresher;

    private final RefreshDefaults refreshDefaults;

    private final SpelExpressionParser parser = new SpelExpressionParser(
            new SpelParserConfiguration(WarmableMethodFactory.SPEL_COMPILER_MODE, getClass().getClassLoader()));

    private final DefaultParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

    /**
     * Defaults of {@code @RefreshAhead} that the annotation can override.
     *
     * @param beta the XFetch weight
     * @param threshold the fixed refresh threshold, a fraction of the TTL (0 = none)
     * @param stopAfterIdle how long after its last read a key stops being refreshed
     */
    public record RefreshDefaults(double beta, double threshold, Duration stopAfterIdle) {
    }

    /**
     * Defaults of {@code @Warmable}'s traffic memory.
     *
     * @param remember whether calls are remembered at all
     * @param sampleRate the fraction of calls recorded
     * @param capacity the most keys counted per method
     */
    public record WarmupDefaults(boolean remember, double sampleRate, int capacity) {
    }

    private final WarmupDefaults warmupDefaults;

    /**
     * @param registry the caches
     * @param leases shared load leases, or {@code null} without Redis
     * @param waiters where waiters for other instances' loads are woken, or {@code null} without Redis
     * @param stampedeOptions wait timeout, its policy and the lease TTL
     * @param refresher runs refreshes
     * @param refreshDefaults refresh defaults
     * @param warmupDefaults traffic memory defaults
     */
    public CachedMethodResolver(TieredCacheRegistry registry, LeaseRegistry leases, LeaseWaiters waiters,
            StampedeOptions stampedeOptions, RefreshAheadScheduler refresher, RefreshDefaults refreshDefaults,
            WarmupDefaults warmupDefaults) {
        this.warmupDefaults = warmupDefaults;
        this.registry = registry;
        this.leases = leases;
        this.waiters = waiters;
        this.stampedeOptions = stampedeOptions;
        this.refresher = refresher;
        this.refreshDefaults = refreshDefaults;
    }

    /**
     * @param invoked the method as invoked
     * @param targetClass the class it is invoked on
     * @return its metadata, or {@code null} if it carries neither annotation
     * @throws InvalidCachedMethodException if the annotations cannot be honoured
     */
    public CachedMethod resolve(Method invoked, Class<?> targetClass) {
        // A call through a generic supertype arrives on the compiler's bridge method; its types are erased.
        Method method = BridgeMethodResolver.findBridgedMethod(invoked);
        StampedeProtected stampede = AnnotatedElementUtils.findMergedAnnotation(method, StampedeProtected.class);
        RefreshAhead refresh = AnnotatedElementUtils.findMergedAnnotation(method, RefreshAhead.class);
        Warmable warmable = AnnotatedElementUtils.findMergedAnnotation(method, Warmable.class);
        if (stampede == null && refresh == null && warmable == null) {
            return null;
        }
        String description = describe(method);
        String cacheName = agree(description, "cacheName", (stampede != null) ? stampede.cacheName() : "",
                (refresh != null) ? refresh.cacheName() : "");
        cacheName = agree(description, "cacheName", cacheName, (warmable != null) ? warmable.cacheName() : "");
        if (cacheName.isEmpty()) {
            cacheName = ClassUtils.getShortName(annotatedDeclaringClass(method)) + "." + method.getName();
        }
        String keyExpression = agree(description, "key", (stampede != null) ? stampede.key() : "",
                (refresh != null) ? refresh.key() : "");
        keyExpression = agree(description, "key", keyExpression, (warmable != null) ? warmable.key() : "");
        boolean cached = stampede == null || stampede.cached();
        if (!cached && (refresh != null || warmable != null)) {
            throw new InvalidCachedMethodException(description, "@RefreshAhead and @Warmable need a cache, but "
                    + "@StampedeProtected(cached = false) switches caching off",
                    "Remove 'cached = false', or remove @RefreshAhead / @Warmable.");
        }
        KeyPlan key = keyPlan(description, method, targetClass, keyExpression);
        KeyCodec argumentsCodec = argumentsCodec(description, method, targetClass);
        if (!cached) {
            return new CachedMethod(description, key.function, null, LoadGuard.NONE, false, null,
                    new SingleFlight<>(), null, argumentsCodec, false);
        }
        ResolvableType returnType = ResolvableType.forMethodReturnType(method, targetClass);
        if (returnType.resolve() == void.class || returnType.resolve() == Void.class) {
            throw new InvalidCachedMethodException(description, "returns void, so there is nothing to cache",
                    "Remove the annotation, or use @StampedeProtected(cached = false) to only coalesce calls.");
        }
        JavaType valueType = javaType(description, returnType, "return type");
        TieredCache cache;
        try {
            cache = this.registry.cache(cacheName, valueType, key.codec);
        }
        catch (IllegalStateException ex) {
            throw new InvalidCachedMethodException(description, ex.getMessage(),
                    "Set a distinct cacheName on the annotation of one of the methods.");
        }
        LoadGuard missGuard = (stampede != null && this.leases != null)
                ? new LeaseLoadGuard(this.leases, this.waiters, this.stampedeOptions, false,
                        this.registry.observations())
                : LoadGuard.NONE;
        boolean serveStale = (stampede == null || stampede.serveStale()) && !cache.settings().staleTtl().isZero();
        RefreshAheadScheduler.RefreshTarget refreshTarget = null;
        if (refresh != null) {
            XFetchPolicy policy = policy(description, refresh);
            LoadGuard refreshGuard = (this.leases != null)
                    ? new LeaseLoadGuard(this.leases, this.waiters, this.stampedeOptions, true,
                            this.registry.observations())
                    : LoadGuard.NONE;
            refreshTarget = this.refresher.register(cache, policy, this.refreshDefaults.stopAfterIdle(), refreshGuard,
                    new InvocationReplay(key.arguments));
        }
        HotKeyRecorder recorder = (warmable != null && warmable.remember() && this.warmupDefaults.remember())
                ? new HotKeyRecorder(this.warmupDefaults.sampleRate(), this.warmupDefaults.capacity()) : null;
        return new CachedMethod(description, key.function, cache, missGuard, serveStale, refreshTarget, null,
                recorder, argumentsCodec, returnType.resolve() == java.util.Optional.class);
    }

    private KeyCodec argumentsCodec(String description, Method method, Class<?> targetClass) {
        JavaType[] types = new JavaType[method.getParameterCount()];
        for (int i = 0; i < types.length; i++) {
            types[i] = parameterType(description, method, targetClass, i);
        }
        return new ArgumentsKeyCodec(this.registry.json(), types);
    }

    private XFetchPolicy policy(String description, RefreshAhead refresh) {
        double beta = (refresh.beta() >= 0) ? refresh.beta() : this.refreshDefaults.beta();
        double threshold = (refresh.threshold() >= 0) ? refresh.threshold() : this.refreshDefaults.threshold();
        if (threshold >= 1.0) {
            throw new InvalidCachedMethodException(description, "@RefreshAhead threshold " + threshold
                    + " is not below 1", "Set threshold to a fraction of the TTL such as 0.8, or 0 for none.");
        }
        return new XFetchPolicy(beta, threshold);
    }

    /**
     * @param function makes the key of a call's arguments
     * @param codec names the keys
     * @param arguments makes a call's arguments of its key where the key says them all (so a refresh needs
     * nothing but the key), or {@code null}
     */
    private record KeyPlan(KeyFunction function, KeyCodec codec, Function<Object, Object[]> arguments) {
    }

    private KeyPlan keyPlan(String description, Method method, Class<?> targetClass, String expression) {
        ValueJson json = this.registry.json();
        int count = method.getParameterCount();
        if (expression.isEmpty()) {
            if (count == 0) {
                return new KeyPlan(KeyFunction.constant("()"), KeyCodec.typed(json, String.class),
                        (key) -> new Object[0]);
            }
            if (count == 1) {
                return new KeyPlan(KeyFunction.argument(0),
                        KeyCodec.typed(json, parameterType(description, method, targetClass, 0)),
                        (key) -> new Object[] { key });
            }
            JavaType[] types = new JavaType[count];
            for (int i = 0; i < count; i++) {
                types[i] = parameterType(description, method, targetClass, i);
            }
            return new KeyPlan(KeyFunction.arguments(), new ArgumentsKeyCodec(json, types),
                    (key) -> ((ArgumentsKey) key).arguments());
        }
        String[] names = this.parameterNames.getParameterNames(method);
        int direct = directParameter(expression.trim(), names, count);
        if (direct >= 0) {
            return new KeyPlan(KeyFunction.argument(direct),
                    KeyCodec.typed(json, parameterType(description, method, targetClass, direct)),
                    (count == 1) ? (key) -> new Object[] { key } : null);
        }
        Expression parsed;
        try {
            parsed = this.parser.parseExpression(expression);
        }
        catch (ParseException ex) {
            throw new InvalidCachedMethodException(description, "key '" + expression + "' is not a valid SpEL "
                    + "expression: " + ex.getMessage(), "Fix the key, e.g. key = \"#p0.sku\".");
        }
        checkVariables(description, expression, parsed, names, count);
        return new KeyPlan(KeyFunction.expression(parsed, method), KeyCodec.stringified(json), null);
    }

    private static int directParameter(String expression, String[] names, int count) {
        Matcher matcher = PARAMETER_REFERENCE.matcher(expression);
        if (!matcher.matches()) {
            return -1;
        }
        if (matcher.group(1) != null) {
            int index = Integer.parseInt(matcher.group(1));
            return (index < count) ? index : -1;
        }
        return (names != null) ? Arrays.asList(names).indexOf(matcher.group(2)) : -1;
    }

    private static void checkVariables(String description, String expression, Expression parsed, String[] names,
            int count) {
        if (!(parsed instanceof SpelExpression spel)) {
            return;
        }
        Set<String> known = new LinkedHashSet<>();
        if (names != null) {
            known.addAll(Arrays.asList(names));
        }
        for (int i = 0; i < count; i++) {
            known.add("p" + i);
            known.add("a" + i);
        }
        known.add("root");
        known.add("this");
        List<String> used = new ArrayList<>();
        collectVariables(spel.getAST(), used);
        for (String variable : used) {
            if (!known.contains(variable)) {
                String parameters = (names != null) ? String.join(", ", names)
                        : "unknown (compile with -parameters to use names)";
                throw new InvalidCachedMethodException(description, "key '" + expression + "' refers to '#"
                        + variable + "', which is not a parameter; parameters: " + parameters,
                        "Refer to a parameter by name (#id) or position (#p0).");
            }
        }
    }

    private static void collectVariables(SpelNode node, List<String> into) {
        if (node instanceof VariableReference) {
            into.add(node.toStringAST().substring(1));
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collectVariables(node.getChild(i), into);
        }
    }

    private JavaType parameterType(String description, Method method, Class<?> targetClass, int index) {
        return javaType(description, ResolvableType.forMethodParameter(method, index, targetClass),
                "parameter " + index);
    }

    private JavaType javaType(String description, ResolvableType type, String what) {
        ValueJson json = this.registry.json();
        if (type.isArray()) {
            return json.arrayOf(javaType(description, type.getComponentType(), what));
        }
        Class<?> raw = type.resolve();
        if (raw == null) {
            throw new InvalidCachedMethodException(description, "its " + what + " " + type
                    + " cannot be resolved to a concrete type",
                    "Declare the method with concrete types (re-declare a generic repository method in your "
                            + "repository interface, e.g. Optional<Product> findById(Long id)).");
        }
        if (!type.hasGenerics()) {
            return json.type(raw);
        }
        ResolvableType[] generics = type.getGenerics();
        JavaType[] parameters = new JavaType[generics.length];
        for (int i = 0; i < generics.length; i++) {
            parameters[i] = javaType(description, generics[i], what);
        }
        return json.parametric(raw, parameters);
    }

    private static String agree(String description, String attribute, String fromStampede, String fromRefresh) {
        if (!fromStampede.isEmpty() && !fromRefresh.isEmpty() && !fromStampede.equals(fromRefresh)) {
            throw new InvalidCachedMethodException(description, "@StampedeProtected and @RefreshAhead give "
                    + "different " + attribute + "s ('" + fromStampede + "' and '" + fromRefresh + "')",
                    "Set " + attribute + " on one of them only, or the same on both.");
        }
        return fromStampede.isEmpty() ? fromRefresh : fromStampede;
    }

    private static Class<?> annotatedDeclaringClass(Method method) {
        if (method.isAnnotationPresent(StampedeProtected.class) || method.isAnnotationPresent(RefreshAhead.class)
                || method.isAnnotationPresent(Warmable.class)) {
            return method.getDeclaringClass();
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(method.getDeclaringClass())) {
            try {
                Method declared = type.getMethod(method.getName(), method.getParameterTypes());
                if (declared.isAnnotationPresent(StampedeProtected.class)
                        || declared.isAnnotationPresent(RefreshAhead.class)
                        || declared.isAnnotationPresent(Warmable.class)) {
                    return type;
                }
            }
            catch (NoSuchMethodException ex) {
                // not declared on this interface
            }
        }
        return method.getDeclaringClass();
    }

    static String describe(Method method) {
        return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }
}
