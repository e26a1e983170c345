package dev.cachewarming.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code cache-warming.l2.backend} (with {@code cache-warming.memcached.*}) gives the shared tier the
 * role named: see {@link SharedTierCondition}. Whether the backend can actually be used (a connection factory, a
 * client on the classpath) is for the other conditions of the annotated configuration.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(SharedTierCondition.class)
@interface ConditionalOnSharedTier {

    /** @return the role that must be asked for */
    SharedTierCondition.Role value();
}
