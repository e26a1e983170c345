package dev.cachewarming.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.cachewarming.actuate.WriteBehindEndpoint;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * The endpoints of the write side: {@code writebehind} (write-behind queues).
 */
@AutoConfiguration(after = CacheWarmingAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public class CacheWarmingWriteActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(WriteBehindQueues.class)
    @ConditionalOnAvailableEndpoint
    WriteBehindEndpoint writeBehindEndpoint(WriteBehindQueues queues) {
        return new WriteBehindEndpoint(queues);
    }
}
