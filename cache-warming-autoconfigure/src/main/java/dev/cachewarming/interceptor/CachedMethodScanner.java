package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.Repopulator;
import dev.cachewarming.warming.WarmableMethod;

/**
 * Once every singleton exists, finds the annotated methods of all beans (classes, their interfaces, Spring Data
 * repository interfaces) and resolves them, so that a mistake fails startup, naming the method, instead of the
 * first call. Hands the {@code @Warmable} ones to the warming.
 *
 * <p>A check that needs every cache of the application (such as that of the configured cache names) runs as
 * {@code afterScan}: then every annotated method's cache exists.
 */
public final class CachedMethodScanner implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final CachedMethodInterceptor interceptor;

    private final DefaultCacheWarming warming;

    private final WarmableMethodFactory factory;

    private final Runnable afterScan;

    /**
     * @param beanFactory the application's bean factory
     * @param interceptor the interceptor to prepare
     * @param warming receives the warmable methods, or {@code null}
     * @param defaultBatchSize keys per warm-up batch unless a method says otherwise
     * @param extraSources extra key sources (access logs, shadow traffic)
     */
    public CachedMethodScanner(ConfigurableListableBeanFactory beanFactory, CachedMethodInterceptor interceptor,
            DefaultCacheWarming warming, int defaultBatchSize, List<KeySourceFactory> extraSources) {
        this(beanFactory, interceptor, warming, defaultBatchSize, extraSources, () -> {
        });
    }

    /**
     * @param beanFactory the application's bean factory
     * @param interceptor the interceptor to prepare
     * @param warming receives the warmable methods, or {@code null}
     * @param defaultBatchSize keys per warm-up batch unless a method says otherwise
     * @param extraSources extra key sources (access logs, shadow traffic)
     * @param afterScan runs once every annotated method is resolved, before the warming receives them; an
     * exception it throws fails startup
     */
    public CachedMethodScanner(ConfigurableListableBeanFactory beanFactory, CachedMethodInterceptor interceptor,
            DefaultCacheWarming warming, int defaultBatchSize, List<KeySourceFactory> extraSources,
            Runnable afterScan) {
        this.beanFactory = beanFactory;
        this.interceptor = interceptor;
        this.warming = warming;
        this.factory = new WarmableMethodFactory(beanFactory, defaultBatchSize, extraSources);
        this.afterScan = afterScan;
    }

    private volatile boolean scanned;

    /**
     * Resolves every annotated method once; later calls do nothing (a scanner of write methods runs this first, so
     * that the caches they write exist whatever order the scanners run in).
     */
    @Override
    public synchronized void afterSingletonsInstantiated() {
        if (this.scanned) {
            return;
        }
        this.scanned = true;
        List<WarmableMethod> warmables = new ArrayList<>();
        Map<String, Repopulator> repopulators = new LinkedHashMap<>();
        Set<String> warmedCaches = new LinkedHashSet<>();
        for (String name : this.beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = this.beanFactory.getType(name, false);
            }
            catch (RuntimeException ex) {
                continue;
            }
            if (type == null) {
                continue;
            }
            Set<String> signatures = new LinkedHashSet<>();
            for (Candidate candidate : annotatedMethods(type)) {
                this.interceptor.prepare(candidate.method, candidate.targetClass);
                CachedMethod cached = this.interceptor.prepared(candidate.method);
                // A class method and the interface method it implements are one method of this bean.
                String signature = candidate.method.getName()
                        + java.util.Arrays.toString(candidate.method.getParameterTypes());
                if (cached == null || cached.cache() == null || !signatures.add(signature)) {
                    continue;
                }
                repopulators.putIfAbsent(cached.cache().name(),
                        this.factory.repopulator(name, candidate.method, cached));
                Warmable warmable = AnnotatedElementUtils.findMergedAnnotation(candidate.method, Warmable.class);
                if (warmable != null && this.warming != null) {
                    if (!warmedCaches.add(cached.cache().name())) {
                        throw new InvalidCachedMethodException(cached.description(), "another @Warmable method "
                                + "already fills cache '" + cached.cache().name() + "'",
                                "Give each @Warmable method its own cache name.");
                    }
                    warmables.add(this.factory.create(name, candidate.method, cached, warmable));
                }
            }
        }
        this.afterScan.run();
        if (this.warming != null) {
            this.warming.initialize(warmables, repopulators);
        }
    }

    /**
     * An annotated method of a bean.
     *
     * @param method the method, as declared by the bean's class or one of its interfaces
     * @param targetClass the class its types are resolved against (the interface, for an interface method)
     */
    record Candidate(Method method, Class<?> targetClass) {
    }

    /**
     * Also what the AOT processor hints, so that a native image can reflect on exactly the methods found here.
     * @param type a bean's type
     * @return its annotated methods
     */
    static List<Candidate> annotatedMethods(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (!Proxy.isProxyClass(type)) {
            types.add(ClassUtils.getUserClass(type));
        }
        types.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
        Class<?> targetClass = ClassUtils.getUserClass(type);
        List<Candidate> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Class<?> candidate : types) {
            if (candidate.getName().startsWith("java.") || candidate.getName().startsWith("org.springframework.")) {
                continue;
            }
            for (Method method : candidate.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers()) && !method.isBridge() && isAnnotated(method)
                        && seen.add(method.toGenericString())) {
                    found.add(new Candidate(method, candidate.isInterface() ? candidate : targetClass));
                }
            }
        }
        return found;
    }

    private static boolean isAnnotated(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, StampedeProtected.class)
                || AnnotatedElementUtils.hasAnnotation(method, RefreshAhead.class)
                || AnnotatedElementUtils.hasAnnotation(method, Warmable.class);
    }
}
