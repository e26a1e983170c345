package dev.cachewarming.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter changes in Spring Boot's Lettuce client so that it comes back quickly after Redis fails: the
 * reconnect delay, and on Redis Cluster the topology refresh (unless the application configures it). No
 * connection is made: the options are read from Boot's connection factory.
 */
class LettuceRecoveryConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
        .withUserConfiguration(BoundProperties.class, LettuceRecoveryConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CacheWarmingProperties.class)
    static class BoundProperties {
    }

    @Test
    void reconnectAttemptsBackOffToHalfASecondAtMost() {
        this.runner.run((context) -> {
            Delay delay = context.getBean(ClientResources.class).reconnectDelay();

            assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(2));
            assertThat(delay.createDelay(30)).isEqualTo(Duration.ofMillis(500));
        });
    }

    @Test
    void theLongestReconnectDelayIsAProperty() {
        this.runner.withPropertyValues("cache-warming.redis.max-reconnect-delay=2s")
            .run((context) -> assertThat(context.getBean(ClientResources.class).reconnectDelay().createDelay(30))
                .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void clusterConnectionsRefreshTheirTopologyOnEveryAdaptiveTriggerAndPeriodically() {
        this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000").run((context) -> {
            ClusterTopologyRefreshOptions refresh = clusterOptions(context).getTopologyRefreshOptions();

            assertThat(refresh.getAdaptiveRefreshTriggers())
                .containsExactlyInAnyOrder(ClusterTopologyRefreshOptions.RefreshTrigger.values());
            assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
            assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void topologyRefreshConfiguredByTheApplicationIsKept() {
        this.runner
            .withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000",
                    "spring.data.redis.lettuce.cluster.refresh.period=5s")
            .run((context) -> {
                ClusterTopologyRefreshOptions refresh = clusterOptions(context).getTopologyRefreshOptions();

                assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
                assertThat(refresh.getAdaptiveRefreshTimeout()).as("Lettuce's default").isEqualTo(Duration.ofSeconds(5));
            });
    }

    @Test
    void topologyRefreshCanBeLeftToBoot() {
        this.runner
            .withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000",
                    "cache-warming.redis.cluster.topology-refresh=false")
            .run((context) -> {
                ClusterTopologyRefreshOptions refresh = clusterOptions(context).getTopologyRefreshOptions();

                assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
                assertThat(refresh.getAdaptiveRefreshTimeout()).as("Lettuce's default").isEqualTo(Duration.ofSeconds(5));
            });
    }

    @Test
    void standaloneConnectionsKeepBootsOptions() {
        this.runner.run((context) -> assertThat(clientOptions(context)).isNotInstanceOf(ClusterClientOptions.class));
    }

    @Test
    void nothingChangesWhenTheRedisTierIsSwitchedOff() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues("cache-warming.redis.enabled=false")
            .run((context) -> assertThat(context.getBean(ClientResources.class).reconnectDelay().createDelay(30))
                .isGreaterThan(Duration.ofSeconds(1)));
    }

    private static ClientOptions clientOptions(AssertableApplicationContext context) {
        return context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getClientOptions().orElseThrow();
    }

    private static ClusterClientOptions clusterOptions(AssertableApplicationContext context) {
        return (ClusterClientOptions) clientOptions(context);
    }
}
