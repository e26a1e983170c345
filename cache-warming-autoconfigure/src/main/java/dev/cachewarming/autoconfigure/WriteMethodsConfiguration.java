package dev.cachewarming.autoconfigure;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.interceptor.CachedMethodScanner;
import dev.cachewarming.interceptor.WriteMethodScanner;
import dev.cachewarming.interceptor.WriteThroughInterceptor;

/**
 * The advisor behind {@code @WriteThrough} and the scanner that resolves its methods at startup.
 *
 * <p>The advisor has the lowest precedence, so that on a method that is also {@code @Transactional} it runs inside
 * the transaction (Spring's transaction advisor has the same order and is registered first) and its write waits
 * for the commit; a write-through method called inside a caller's transaction waits for that one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Advisor.class)
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
    WriteMethodScanner cacheWarmingWriteMethodScanner(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<CachedMethodScanner> readers, TieredCacheRegistry registry,
            WriteThroughInterceptor cacheWarmingWriteThroughInterceptor) {
        return new WriteMethodScanner(beanFactory, readers.getIfAvailable(), registry,
                cacheWarmingWriteThroughInterceptor);
    }
}
