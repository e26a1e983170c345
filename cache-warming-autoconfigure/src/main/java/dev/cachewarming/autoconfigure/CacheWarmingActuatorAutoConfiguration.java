package dev.cachewarming.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cachewarming.actuate.WarmingEndpoint;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.gate.WarmupGate;
import dev.cachewarming.gate.WarmupReadinessGroup;
import dev.cachewarming.warming.DefaultCacheWarming;

/**
 * The readiness gate ({@code warmup} health indicator in the {@code readiness} group) and the {@code warming}
 * endpoint. Ordered after Boot's availability probes: adding to the readiness group before it exists would leave
 * readiness UP at once.
 */
@AutoConfiguration(after = CacheWarmingAutoConfiguration.class,
        afterName = { "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnBean(DefaultCacheWarming.class)
public class CacheWarmingActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ HealthIndicator.class, HealthEndpointGroupsPostProcessor.class })
    @ConditionalOnEnabledHealthIndicator("warmup")
    static class ReadinessGateConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "warmupHealthIndicator")
        WarmupGate warmupHealthIndicator(DefaultCacheWarming cacheWarming) {
            return new WarmupGate(cacheWarming);
        }

        @Bean
        @ConditionalOnBooleanProperty(name = "cache-warming.warmup.readiness-gate", matchIfMissing = true)
        static WarmupReadinessGroup warmupReadinessGroup() {
            return new WarmupReadinessGroup();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @EnableConfigurationProperties(WarmingEndpointProperties.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        WarmingEndpoint warmingEndpoint(DefaultCacheWarming cacheWarming, TieredCacheRegistry caches,
                WarmingEndpointProperties properties,
                org.springframework.beans.factory.ObjectProvider<dev.cachewarming.cache.SharedTierDescription> sharedTier) {
            return new WarmingEndpoint(cacheWarming, caches, properties.getShowKeys(), properties.getRoles(),
                    sharedTier.getIfAvailable());
        }
    }
}
