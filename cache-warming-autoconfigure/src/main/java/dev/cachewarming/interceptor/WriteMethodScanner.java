package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.WriteBehind;
import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindQueue;

/**
 * Once every singleton exists and the reading methods are resolved (so their caches exist), finds the methods
 * annotated with {@code @WriteThrough} or {@code @WriteBehind} and resolves them, so that a mistake fails startup naming the method.
 */
public final class WriteMethodScanner implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final CachedMethodScanner readers;

    private final WriteMethodResolver resolver;

    private final WriteThroughInterceptor writeThrough;

    private final WriteBehindSetup writeBehind;

    private final TieredCacheRegistry registry;

    private final Map<String, String> writers = new HashMap<>();

    /**
     * @param beanFactory the application's bean factory
     * @param readers resolves the reading methods first, or {@code null} if there are none
     * @param registry the caches
     * @param writeThrough receives the {@code @WriteThrough} methods
     * @param writeBehind sets up the {@code @WriteBehind} methods
     */
    public WriteMethodScanner(ConfigurableListableBeanFactory beanFactory, CachedMethodScanner readers,
            TieredCacheRegistry registry, WriteThroughInterceptor writeThrough, WriteBehindSetup writeBehind) {
        this.beanFactory = beanFactory;
        this.readers = readers;
        this.registry = registry;
        this.resolver = new WriteMethodResolver(registry);
        this.writeThrough = writeThrough;
        this.writeBehind = writeBehind;
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
                scan(name, type);
            }
        }
    }

    private void scan(String beanName, Class<?> type) {
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
                WriteBehind writeBehind = AnnotatedElementUtils.findMergedAnnotation(method, WriteBehind.class);
                if (writeBehind != null) {
                    registerWriteBehind(beanName, targetClass, method, resolveAgainst, writeBehind);
                }
            }
        }
    }

    private void registerWriteBehind(String beanName, Class<?> beanClass, Method method, Class<?> resolveAgainst,
            WriteBehind annotation) {
        WriteMethodResolver.WriteTarget target = this.resolver.resolve("@WriteBehind", method, resolveAgainst,
                annotation.cacheName(), annotation.key(), annotation.value());
        WriteBehindSetup setup = this.writeBehind;
        if (setup == null || setup.log() == null) {
            throw new InvalidCachedMethodException(target.description(), "@WriteBehind needs Redis for its durable "
                    + "queue, and " + ((setup != null) ? setup.noLogReason() : "write-behind is not configured"),
                    "Use Redis as the shared tier (spring-boot-starter-data-redis, cache-warming.l2.backend=redis), "
                            + "or write synchronously with @WriteThrough.");
        }
        String writer = beanName + "." + annotation.writer();
        String previous = this.writers.putIfAbsent(annotation.cacheName(), writer);
        if (previous != null && !previous.equals(writer)) {
            throw new InvalidCachedMethodException(target.description(), "@WriteBehind of cache '"
                    + annotation.cacheName() + "' names writer " + writer + ", but another method names " + previous,
                    "Give every @WriteBehind method of one cache the same writer.");
        }
        WriteBehindQueue queue = setup.queues().queue(annotation.cacheName());
        if (queue == null) {
            BeanMethodBatchWriter batchWriter = BeanMethodBatchWriter.of(target.description(), this.beanFactory,
                    beanName, beanClass, annotation.writer(), this.registry.json());
            WriteBehindFlusher flusher = new WriteBehindFlusher(annotation.cacheName(), setup.log(),
                    setup.consumer(), batchWriter, setup.settings());
            queue = setup.queues().register(new WriteBehindQueue(target.cache(), setup.log(),
                    this.registry.json(), flusher, target.valueType().getRawClass() == java.util.Optional.class));
        }
        setup.interceptor().register(method, target, queue);
    }
}
