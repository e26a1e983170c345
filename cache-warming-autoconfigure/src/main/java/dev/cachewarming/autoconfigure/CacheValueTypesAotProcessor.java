package dev.cachewarming.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Binding hints for the {@code cache-warming.caches.<name>.value-type} classes configured when the application is
 * processed: the class is loaded by name, and its values are JSON of that type. A value type that only a
 * run-time source sets (a profile not active at build time, an environment variable) is the application's to hint.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
final class CacheValueTypesAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean("environment")) {
            return null;
        }
        Environment environment = beanFactory.getBean("environment", Environment.class);
        Map<String, CacheWarmingProperties.CacheOverrides> caches = Binder.get(environment)
            .bind("cache-warming.caches", Bindable.mapOf(String.class, CacheWarmingProperties.CacheOverrides.class))
            .orElse(Map.of());
        Set<Class<?>> types = new LinkedHashSet<>();
        caches.values()
            .stream()
            .map(CacheWarmingProperties.CacheOverrides::getValueType)
            .filter((type) -> type != null && !type.isPrimitive())
            .forEach(types::add);
        if (types.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> new BindingReflectionHintsRegistrar()
            .registerReflectionHints(generationContext.getRuntimeHints().reflection(), types.toArray(Class<?>[]::new));
    }
}
