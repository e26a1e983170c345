package dev.cachewarming.autoconfigure;

import java.util.UUID;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

import dev.cachewarming.annotation.WriteBehind;
import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.cache.SharedTierDescription;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.redis.RedisSecondLevel;
import dev.cachewarming.interceptor.CachedMethodScanner;
import dev.cachewarming.interceptor.WriteBehindInterceptor;
import dev.cachewarming.interceptor.WriteBehindSetup;
import dev.cachewarming.interceptor.WriteMethodScanner;
import dev.cachewarming.interceptor.WriteThroughInterceptor;
import dev.cachewarming.redis.write.RedisStreamWriteBehindLog;
import dev.cachewarming.write.RetryPolicy;
import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindLog;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * The advisors behind {@code @WriteThrough} and {@code @WriteBehind}, the scanner that resolves their methods at
 * startup, and write-behind's durable log (a Redis Stream per cache, when Redis is the shared tier) and flushers.
 *
 * <p>The advisors have the lowest precedence, so that on a method that is also {@code @Transactional} they run
 * inside the transaction (Spring's transaction advisor has the same order and is registered first): a
 * write-through then waits for the commit, as it does when called inside a caller's transaction.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Advisor.class)
@EnableConfigurationProperties(WriteBehindProperties.class)
class WriteMethodsConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static WriteThroughInterceptor cacheWarmingWriteThroughInterceptor() {
        return new WriteThroughInterceptor();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor cacheWarmingWriteThroughAdvisor(WriteThroughInterceptor cacheWarmingWriteThroughInterceptor) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                new AnnotationMatchingPointcut(null, WriteThrough.class, true), cacheWarmingWriteThroughInterceptor);
        advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
        return advisor;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static WriteBehindInterceptor cacheWarmingWriteBehindInterceptor() {
        return new WriteBehindInterceptor();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor cacheWarmingWriteBehindAdvisor(WriteBehindInterceptor cacheWarmingWriteBehindInterceptor) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                new AnnotationMatchingPointcut(null, WriteBehind.class, true), cacheWarmingWriteBehindInterceptor);
        advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
        return advisor;
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    WriteBehindQueues cacheWarmingWriteBehindQueues() {
        return new WriteBehindQueues();
    }

    /** Flushers start once the context is refreshed and stop before any bean (a writer's DataSource) is destroyed. */
    @Bean
    SmartLifecycle cacheWarmingWriteBehindLifecycle(WriteBehindQueues queues) {
        return new SmartLifecycle() {

            private volatile boolean running;

            @Override
            public void start() {
                queues.start();
                this.running = true;
            }

            @Override
            public void stop() {
                queues.close();
                this.running = false;
            }

            @Override
            public boolean isRunning() {
                return this.running;
            }
        };
    }

    @Bean
    WriteMethodScanner cacheWarmingWriteMethodScanner(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<CachedMethodScanner> readers, TieredCacheRegistry registry,
            WriteThroughInterceptor cacheWarmingWriteThroughInterceptor,
            WriteBehindInterceptor cacheWarmingWriteBehindInterceptor, WriteBehindQueues queues,
            ObjectProvider<WriteBehindLog> log, WriteBehindProperties properties,
            ObjectProvider<SharedTierDescription> sharedTier) {
        WriteBehindFlusher.Settings settings = new WriteBehindFlusher.Settings(properties.getBatchSize(),
                properties.getPollInterval(), properties.getClaimMinIdle(), properties.getShutdownTimeout(),
                new RetryPolicy(properties.getMaxAttempts(), properties.getInitialBackoff(),
                        properties.getMaxBackoff()));
        SharedTierDescription tier = sharedTier.getIfAvailable();
        String reason = (tier != null) ? "the shared tier is " + tier.backend() : "there is no shared tier (L2)";
        return new WriteMethodScanner(beanFactory, readers.getIfAvailable(), registry,
                cacheWarmingWriteThroughInterceptor, new WriteBehindSetup(cacheWarmingWriteBehindInterceptor, queues,
                        log.getIfAvailable(), UUID.randomUUID().toString(), settings, reason));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    @ConditionalOnBean(RedisSecondLevel.class)
    static class RedisWriteBehindLogConfiguration {

        @Bean
        @ConditionalOnMissingBean(WriteBehindLog.class)
        RedisStreamWriteBehindLog cacheWarmingWriteBehindLog(RedisCommandRunner redis,
                CacheWarmingProperties properties) {
            return new RedisStreamWriteBehindLog(redis, properties.getRedis().getKeyPrefix());
        }
    }
}
