package dev.cachewarming.autoconfigure;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;

/**
 * Fails startup when {@code cache-warming.caches.<name>.*} configures a cache the application does not have: a typo
 * in a cache name would otherwise drop its settings silently (the real cache takes the defaults).
 *
 * <p>Runs once every annotated method is resolved. A name is known when
 * <ul>
 * <li>a cache of that name exists by then: the cache of every {@code @StampedeProtected}, {@code @RefreshAhead} and
 * {@code @Warmable} method, and any cache the application created while starting;</li>
 * <li>a Spring caching annotation of a bean names it ({@code @Cacheable}, {@code @CachePut}, {@code @CacheEvict},
 * {@code @Caching}, {@code @CacheConfig}): those caches are only created by the first call;</li>
 * <li>{@code spring.cache.cache-names} lists it: the way to declare a cache that is created only later, through
 * {@code TieredCacheRegistry.cache(name)} or {@code CacheManager.getCache(name)} with a computed name.</li>
 * </ul>
 */
final class ConfiguredCacheNamesCheck implements Runnable {

    private static final String PREFIX = "cache-warming.caches.";

    private final CacheWarmingProperties properties;

    private final ObjectProvider<TieredCacheRegistry> registry;

    private final ConfigurableListableBeanFactory beanFactory;

    private final Environment environment;

    ConfiguredCacheNamesCheck(CacheWarmingProperties properties, ObjectProvider<TieredCacheRegistry> registry,
            ConfigurableListableBeanFactory beanFactory, Environment environment) {
        this.properties = properties;
        this.registry = registry;
        this.beanFactory = beanFactory;
        this.environment = environment;
    }

    /**
     * @throws InvalidCacheWarmingPropertyException naming the first unknown cache's properties and the known caches
     */
    @Override
    public void run() {
        Map<String, CacheWarmingProperties.CacheOverrides> configured = this.properties.getCaches();
        if (configured.isEmpty()) {
            return;
        }
        Set<String> known = knownCacheNames();
        List<String> unknown = configured.keySet().stream().filter((name) -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new UnknownCacheException(unknown, configured.get(unknown.get(0)), known);
        }
    }

    private Set<String> knownCacheNames() {
        Set<String> known = new TreeSet<>();
        TieredCacheRegistry caches = this.registry.getIfAvailable();
        if (caches != null) {
            caches.caches().stream().map(TieredCache::name).forEach(known::add);
        }
        known.addAll(springCacheAnnotationNames());
        known.addAll(Binder.get(this.environment)
            .bind("spring.cache.cache-names", Bindable.listOf(String.class))
            .orElse(List.of()));
        return known;
    }

    /** The cache names of Spring's caching annotations on the beans' classes and interfaces. */
    private Set<String> springCacheAnnotationNames() {
        AnnotationCacheOperationSource source = new AnnotationCacheOperationSource(false);
        Set<String> names = new LinkedHashSet<>();
        for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = this.beanFactory.getType(beanName, false);
            }
            catch (RuntimeException ex) {
                continue;
            }
            if (type == null) {
                continue;
            }
            Set<Class<?>> classes = new LinkedHashSet<>();
            if (!Proxy.isProxyClass(type)) {
                classes.add(ClassUtils.getUserClass(type));
            }
            classes.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
            for (Class<?> candidate : classes) {
                if (candidate.getName().startsWith("java.") || !source.isCandidateClass(candidate)) {
                    continue;
                }
                ReflectionUtils.doWithMethods(candidate, (method) -> {
                    Collection<CacheOperation> operations;
                    try {
                        operations = source.getCacheOperations(method, candidate);
                    }
                    catch (RuntimeException ex) {
                        // An invalid caching annotation: Spring reports it on the first call, with its own message.
                        return;
                    }
                    if (operations != null) {
                        operations.forEach((operation) -> names.addAll(operation.getCacheNames()));
                    }
                }, ReflectionUtils.USER_DECLARED_METHODS);
            }
        }
        return names;
    }

    /** Properties under the name of a cache that does not exist. */
    static final class UnknownCacheException extends InvalidCacheWarmingPropertyException {

        UnknownCacheException(List<String> unknown, CacheWarmingProperties.CacheOverrides settings, Set<String> known) {
            this(unknown, setProperties(unknown.get(0), settings), known);
        }

        private UnknownCacheException(List<String> unknown, List<String> properties, Set<String> known) {
            super(properties.get(0), unknown.get(0), description(unknown, properties, known),
                    "no cache is named '" + unknown.get(0) + "'",
                    "Use the name of a known cache (names are case-sensitive), or remove the properties of '"
                            + unknown.get(0) + "'. A cache created only at run time (TieredCacheRegistry.cache(name), "
                            + "or CacheManager.getCache(name) with a computed name) must be listed in "
                            + "'spring.cache.cache-names'.");
        }

        private static String description(List<String> unknown, List<String> properties, Set<String> known) {
            StringBuilder description = new StringBuilder();
            description.append((properties.size() == 1) ? "Property " : "Properties ");
            description.append(String.join(", ", properties.stream().map((p) -> "'" + p + "'").toList()));
            description.append((properties.size() == 1) ? " configures" : " configure");
            description.append(" cache '").append(unknown.get(0)).append("', which the application does not have");
            if (unknown.size() > 1) {
                description.append("; unknown too: ").append(String.join(", ", unknown.subList(1, unknown.size())));
            }
            description.append("; known caches: ").append(known.isEmpty() ? "none" : String.join(", ", known));
            return description.toString();
        }

        /** The properties the user set for the cache, as they would write them. */
        private static List<String> setProperties(String cache, CacheWarmingProperties.CacheOverrides settings) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("ttl", settings.getTtl());
            values.put("l1-ttl", settings.getL1Ttl());
            values.put("l1-max-size", settings.getL1MaxSize());
            values.put("l2-enabled", settings.getL2Enabled());
            values.put("jitter", settings.getJitter());
            values.put("absent-ttl", settings.getAbsentTtl());
            values.put("stale-ttl", settings.getStaleTtl());
            values.put("value-type", settings.getValueType());
            List<String> set = new ArrayList<>();
            values.forEach((name, value) -> {
                if (value != null) {
                    set.add(PREFIX + cache + "." + name);
                }
            });
            return set.isEmpty() ? List.of(PREFIX + cache) : set;
        }
    }
}
