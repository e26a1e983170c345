package dev.cachewarming.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Decides from the properties which backend plays which role: the values and leases (Redis or Memcached), and
 * whether Redis carries invalidation messages for Memcached.
 */
final class SharedTierCondition extends SpringBootCondition {

    /** What a configuration provides. */
    enum Role {

        /** Values and leases in Redis: backend {@code redis}, or {@code auto} without Memcached servers. */
        REDIS,

        /** Values and leases in Memcached: backend {@code memcached}, or {@code auto} with Memcached servers. */
        MEMCACHED,

        /** A Redis connection of the tier at all: {@link #REDIS}, or Memcached with Redis as its channel. */
        REDIS_CONNECTION
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnSharedTier.class.getName());
        Role role = (Role) attributes.get("value");
        Environment environment = context.getEnvironment();
        L2Properties.Backend backend = backend(environment);
        boolean matches = switch (role) {
            case REDIS -> isRedis(environment, backend);
            case MEMCACHED -> isMemcached(environment, backend);
            case REDIS_CONNECTION -> isRedis(environment, backend) || (isMemcached(environment, backend)
                    && invalidations(environment) == MemcachedProperties.Invalidations.AUTO);
        };
        String message = "cache-warming.l2.backend=" + backend.name().toLowerCase() + ", Memcached servers "
                + (hasMemcachedServers(environment) ? "set" : "not set");
        return matches ? ConditionOutcome.match(message + ": shared tier role " + role)
                : ConditionOutcome.noMatch(message + ": not shared tier role " + role);
    }

    static L2Properties.Backend backend(Environment environment) {
        return Binder.get(environment)
            .bind("cache-warming.l2.backend", L2Properties.Backend.class)
            .orElse(L2Properties.Backend.AUTO);
    }

    static boolean hasMemcachedServers(Environment environment) {
        String servers = environment.getProperty("cache-warming.memcached.servers");
        return servers != null && !servers.isBlank();
    }

    private static MemcachedProperties.Invalidations invalidations(Environment environment) {
        return Binder.get(environment)
            .bind("cache-warming.memcached.invalidations", MemcachedProperties.Invalidations.class)
            .orElse(MemcachedProperties.Invalidations.AUTO);
    }

    private static boolean isRedis(Environment environment, L2Properties.Backend backend) {
        return backend == L2Properties.Backend.REDIS
                || (backend == L2Properties.Backend.AUTO && !hasMemcachedServers(environment));
    }

    private static boolean isMemcached(Environment environment, L2Properties.Backend backend) {
        return backend == L2Properties.Backend.MEMCACHED
                || (backend == L2Properties.Backend.AUTO && hasMemcachedServers(environment));
    }
}
