package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;

import dev.cachewarming.cache.ArgumentsKey;
import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.CacheLoaderException;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.refresh.RefreshAheadScheduler;
import dev.cachewarming.warming.HotKeyRecorder;

/**
 * The advice behind {@code @StampedeProtected} and {@code @RefreshAhead}.
 *
 * <p>A plain hit is a map lookup for the method's metadata, the key (the argument itself for one-argument methods),
 * an L1 lookup and a clock read: no SpEL, no reflection, no allocation. A miss loads through the method (the rest
 * of the advice chain, then the target), once per key in the JVM and, for {@code @StampedeProtected}, once per key
 * in the fleet. Exceptions of the method reach the caller unchanged.
 */
public final class CachedMethodInterceptor implements MethodInterceptor {

    private final Supplier<CachedMethodResolver> resolverSupplier;

    private final Map<Method, CachedMethod> methods = new ConcurrentHashMap<>();

    private volatile CachedMethodResolver resolver;

    /**
     * @param resolverSupplier gives the resolver on first need; lazy so that the advisor does not pull the
     * application's beans in early
     */
    public CachedMethodInterceptor(Supplier<CachedMethodResolver> resolverSupplier) {
        this.resolverSupplier = resolverSupplier;
    }

    /**
     * Resolves and remembers a method ahead of its first call, failing on an invalid declaration.
     * @param method the method as invoked through the proxy
     * @param targetClass the class it is invoked on
     */
    public void prepare(Method method, Class<?> targetClass) {
        if (!this.methods.containsKey(method)) {
            CachedMethod resolved = resolver().resolve(method, targetClass);
            if (resolved != null) {
                this.methods.putIfAbsent(method, resolved);
            }
        }
    }

    /** @return how many methods are resolved */
    public int preparedMethods() {
        return this.methods.size();
    }

    private static final ThreadLocal<Boolean> BYPASS = new ThreadLocal<>();

    /**
     * Runs {@code work} with the cache advice switched off on this thread: annotated methods it calls run their
     * target directly (used to load a fresh value whatever is cached).
     * @param work the work
     * @param <T> its result type
     * @return its result
     * @throws Exception what it throws
     */
    public static <T> T bypassingCache(Callable<T> work) throws Exception {
        BYPASS.set(Boolean.TRUE);
        try {
            return work.call();
        }
        finally {
            BYPASS.remove();
        }
    }

    /**
     * @param method a method as invoked through its proxy
     * @return its resolved metadata, or {@code null}
     */
    CachedMethod prepared(Method method) {
        return this.methods.get(method);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (BYPASS.get() != null) {
            return invocation.proceed();
        }
        CachedMethod method = this.methods.get(invocation.getMethod());
        if (method == null) {
            method = resolveLate(invocation);
            if (method == null) {
                return invocation.proceed();
            }
        }
        Object key = method.keyFunction().key(invocation.getArguments());
        HotKeyRecorder recorder = method.recorder();
        if (recorder != null && recorder.sample()) {
            recorder.record(new ArgumentsKey(invocation.getArguments().clone()));
        }
        TieredCache cache = method.cache();
        if (key == null) {
            return invocation.proceed();
        }
        if (cache == null) {
            return method.coalescer().run(key, invocation::proceed);
        }
        long now = cache.now();
        RefreshAheadScheduler.RefreshTarget refresh = method.refresh();
        CacheEntry entry = null;
        if (refresh == null && !method.serveStale()) {
            // Nothing but a fresh value is asked of the entry: the allocation-free hit path.
            Object value = cache.getFreshValue(key, now);
            if (value != TieredCache.MISS) {
                return value;
            }
        }
        else {
            entry = cache.getLocalEntry(key, method.serveStale(), now);
            if (entry != null) {
                if (entry.isFreshAt(now)) {
                    if (refresh != null) {
                        refresh.onHit(key, entry, invocation, now);
                    }
                    return entry.value();
                }
                if (cache.isLoading(key)) {
                    cache.stats().recordStaleServed();
                    return entry.value();
                }
            }
        }
        // Before proceeding: what a later refresh replays must be taken while the invocation is unused.
        Object reloadContext = (refresh != null) ? refresh.contextOf(invocation) : null;
        CacheEntry loaded;
        try {
            loaded = cache.loadOnMiss(key, () -> InvocationReplay.proceed(invocation), method.missGuard(), entry);
        }
        catch (CacheLoaderException ex) {
            throw ex.getCause();
        }
        if (refresh != null) {
            refresh.onLoaded(key, loaded, reloadContext, now);
        }
        return loaded.value();
    }

    private CachedMethod resolveLate(MethodInvocation invocation) {
        Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis())
                : invocation.getMethod().getDeclaringClass();
        CachedMethod resolved = resolver().resolve(invocation.getMethod(), targetClass);
        if (resolved != null) {
            CachedMethod raced = this.methods.putIfAbsent(invocation.getMethod(), resolved);
            return (raced != null) ? raced : resolved;
        }
        return null;
    }

    private CachedMethodResolver resolver() {
        CachedMethodResolver current = this.resolver;
        if (current == null) {
            current = this.resolverSupplier.get();
            this.resolver = current;
        }
        return current;
    }
}
