package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Once every singleton exists and the reading methods are resolved (so their caches exist), finds the methods
 * annotated with {@code @WriteThrough} and resolves them, so that a mistake fails startup naming the method.
 */
public final class WriteMethodScanner implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final CachedMethodScanner readers;

    private final WriteMethodResolver resolver;

    private final WriteThroughInterceptor writeThrough;

    /**
     * @param beanFactory the application's bean factory
     * @param readers resolves the reading methods first, or {@code null} if there are none
     * @param registry the caches
     * @param writeThrough receives the {@code @WriteThrough} methods
     */
    public WriteMethodScanner(ConfigurableListableBeanFactory beanFactory, CachedMethodScanner readers,
            TieredCacheRegistry registry, WriteThroughInterceptor writeThrough) {
        this.beanFactory = beanFactory;
        this.readers = readers;
        this.resolver = new WriteMethodResolver(registry);
        this.writeThrough = writeThrough;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (this.readers != null) {
            this.readers.afterSingletonsInstantiated();
        }
        for (String name : this.beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = this.beanFactory.getType(name, false);
            }
            catch (RuntimeException ex) {
                continue;
            }
            if (type != null) {
                scan(type);
            }
        }
    }

    private void scan(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (!Proxy.isProxyClass(type)) {
            types.add(ClassUtils.getUserClass(type));
        }
        types.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
        Class<?> targetClass = ClassUtils.getUserClass(type);
        for (Class<?> candidate : types) {
            if (candidate.getName().startsWith("java.") || candidate.getName().startsWith("org.springframework.")) {
                continue;
            }
            for (Method method : candidate.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || method.isBridge()) {
                    continue;
                }
                Class<?> resolveAgainst = candidate.isInterface() ? candidate : targetClass;
                WriteThrough writeThrough = AnnotatedElementUtils.findMergedAnnotation(method, WriteThrough.class);
                if (writeThrough != null) {
                    this.writeThrough.register(method, this.resolver.resolve("@WriteThrough", method, resolveAgainst,
                            writeThrough.cacheName(), writeThrough.key(), writeThrough.value()));
                }
            }
        }
    }
}
