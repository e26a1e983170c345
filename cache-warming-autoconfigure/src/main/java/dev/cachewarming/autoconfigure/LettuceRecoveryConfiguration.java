package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * How the application's Lettuce client (Spring Boot's) comes back after Redis fails, through Boot's own
 * customizer beans, so an application that builds its client itself is left alone:
 * <ul>
 * <li>reconnect attempts back off to at most {@code cache-warming.redis.max-reconnect-delay} (Lettuce's own
 * default backs off to 30 s, so after a 10 s outage it may reconnect up to 6 s after Redis is back);</li>
 * <li>on Redis Cluster, the topology is refreshed on Lettuce's adaptive triggers at most once per
 * {@code cluster.adaptive-refresh-timeout} (Lettuce 7: 5 s; the first refresh after a master dies comes before its
 * replica took over, and would hide the takeover for that long) and every {@code cluster.refresh-period} (Lettuce:
 * never), unless the application configures {@code spring.data.redis.lettuce.cluster.refresh.*} itself: without a
 * refresh, Lettuce keeps sending a failed master's slots to the dead node.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ClientResources.class, ClientResourcesBuilderCustomizer.class })
@ConditionalOnBooleanProperty(name = "cache-warming.redis.enabled", matchIfMissing = true)
class LettuceRecoveryConfiguration {

    private static final List<String> BOOT_REFRESH_PROPERTIES = List.of(
            "spring.data.redis.lettuce.cluster.refresh.adaptive", "spring.data.redis.lettuce.cluster.refresh.period",
            "spring.data.redis.lettuce.cluster.refresh.dynamic-refresh-sources");

    @Bean
    ClientResourcesBuilderCustomizer cacheWarmingReconnectDelay(CacheWarmingProperties properties) {
        Duration max = properties.getRedis().getMaxReconnectDelay();
        // Lettuce's own exponential delay (1, 2, 4... ms), capped lower.
        return (builder) -> builder.reconnectDelay(Delay.exponential(Duration.ZERO, max, 2, TimeUnit.MILLISECONDS));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cache-warming.redis.cluster.topology-refresh", matchIfMissing = true)
    LettuceClientOptionsBuilderCustomizer cacheWarmingClusterTopologyRefresh(CacheWarmingProperties properties,
            Environment environment) {
        CacheWarmingProperties.Cluster cluster = properties.getRedis().getCluster();
        boolean configuredByApplication = BOOT_REFRESH_PROPERTIES.stream().anyMatch(environment::containsProperty);
        return (builder) -> {
            if (builder instanceof ClusterClientOptions.Builder clusterOptions && !configuredByApplication) {
                clusterOptions.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(cluster.getAdaptiveRefreshTimeout())
                    .enablePeriodicRefresh(cluster.getRefreshPeriod())
                    .build());
            }
        };
    }
}
