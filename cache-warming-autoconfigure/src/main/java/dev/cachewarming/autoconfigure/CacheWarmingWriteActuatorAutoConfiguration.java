package dev.cachewarming.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cachewarming.actuate.CacheDumpEndpoint;
import dev.cachewarming.actuate.WriteBehindEndpoint;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.tools.CacheDumper;
import dev.cachewarming.tools.CachePopulator;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * The endpoints of the write side: {@code writebehind} (write-behind queues) and {@code cachedumps} (dump and
 * populate a cache's Redis entries, when Redis is the shared tier).
 */
@AutoConfiguration(after = CacheWarmingAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@EnableConfigurationProperties(DumpProperties.class)
public class CacheWarmingWriteActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
    static class CacheDumpEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean({ RedisSecondLevel.class, RedisConnectionFactory.class })
        @ConditionalOnAvailableEndpoint
        CacheDumpEndpoint cacheDumpEndpoint(RedisConnectionFactory connectionFactory,
                CacheWarmingProperties properties, DumpProperties dump) {
            return new CacheDumpEndpoint(dump.getDirectory(), new RedisDumpConnections(connectionFactory,
                    properties.getRedis().getKeyPrefix(), Duration.ofSeconds(10)),
                    new CacheDumper(dump.getChunkEntries(), dump.getBatchSize()),
                    new CachePopulator(dump.getBatchSize(), dump.getPopulateRate()));
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(WriteBehindQueues.class)
    @ConditionalOnAvailableEndpoint
    WriteBehindEndpoint writeBehindEndpoint(WriteBehindQueues queues) {
        return new WriteBehindEndpoint(queues);
    }
}
