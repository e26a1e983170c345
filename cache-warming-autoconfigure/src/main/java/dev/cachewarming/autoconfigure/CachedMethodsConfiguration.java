package dev.cachewarming.autoconfigure;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.cache.CoarseClock;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.interceptor.CachedMethodInterceptor;
import dev.cachewarming.interceptor.CachedMethodResolver;
import dev.cachewarming.interceptor.CachedMethodScanner;
import dev.cachewarming.interceptor.KeySourceFactory;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.refresh.RefreshAheadScheduler;
import dev.cachewarming.stampede.LeaseRegistry;
import dev.cachewarming.stampede.LeaseWaiters;
import dev.cachewarming.stampede.StampedeOptions;
import dev.cachewarming.warming.DefaultCacheWarming;

/**
 * The advisor behind {@code @StampedeProtected} and {@code @RefreshAhead}, its interceptor, and what the
 * interceptor resolves methods with. The advisor and interceptor are infrastructure beans with no eager
 * dependencies, so they do not pull application beans in before all post-processors exist.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Advisor.class)
class CachedMethodsConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CachedMethodInterceptor cachedMethodInterceptor(ObjectProvider<CachedMethodResolver> resolver) {
        return new CachedMethodInterceptor(resolver::getObject);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor cachedMethodAdvisor(CachedMethodInterceptor cachedMethodInterceptor, Environment environment) {
        ComposablePointcut pointcut = new ComposablePointcut(
                new AnnotationMatchingPointcut(null, StampedeProtected.class, true))
            .union(new AnnotationMatchingPointcut(null, RefreshAhead.class, true))
            .union(new AnnotationMatchingPointcut(null, Warmable.class, true));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, cachedMethodInterceptor);
        advisor.setOrder(environment.getProperty("cache-warming.interceptor.order", Integer.class,
                new CacheWarmingProperties.Interceptor().getOrder()));
        return advisor;
    }

    @Bean
    CachedMethodScanner cachedMethodScanner(ConfigurableListableBeanFactory beanFactory,
            CachedMethodInterceptor cachedMethodInterceptor, ObjectProvider<DefaultCacheWarming> warming,
            CacheWarmingProperties properties, ObjectProvider<KeySourceFactory> keySources,
            ObjectProvider<TieredCacheRegistry> registry, Environment environment) {
        return new CachedMethodScanner(beanFactory, cachedMethodInterceptor, warming.getIfAvailable(),
                properties.getWarmup().getBatchSize(), keySources.orderedStream().toList(),
                new ConfiguredCacheNamesCheck(properties, registry, beanFactory, environment));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RefreshAheadScheduler cacheWarmingRefreshScheduler(CacheWarmingProperties properties,
            CacheObservations observations) {
        CacheWarmingProperties.Refresh refresh = properties.getRefresh();
        return new RefreshAheadScheduler(refresh.getPoolSize(), refresh.getQueueCapacity(),
                refresh.getSweepInterval(), CoarseClock.INSTANCE, observations);
    }

    @Bean
    @ConditionalOnMissingBean
    CachedMethodResolver cachedMethodResolver(TieredCacheRegistry registry, ObjectProvider<LeaseRegistry> leases,
            ObjectProvider<LeaseWaiters> waiters, CacheWarmingProperties properties,
            RefreshAheadScheduler refresher) {
        CacheWarmingProperties.Stampede stampede = properties.getStampede();
        CacheWarmingProperties.Refresh refresh = properties.getRefresh();
        return new CachedMethodResolver(registry, leases.getIfAvailable(), waiters.getIfAvailable(),
                new StampedeOptions(stampede.getWaitTimeout(), stampede.getOnWaitTimeout(), stampede.getLeaseTtl(),
                        stampede.getRecheckInterval(), stampede.getMaxRecheckInterval()),
                refresher, new CachedMethodResolver.RefreshDefaults(refresh.getBeta(), refresh.getThreshold(),
                        refresh.getStopAfterIdle()),
                new CachedMethodResolver.WarmupDefaults(
                        properties.getWarmup().isEnabled() && properties.getWarmup().getRemember().isEnabled(),
                        properties.getWarmup().getRemember().getSampleRate(),
                        properties.getWarmup().getRemember().getCapacity()));
    }
}
