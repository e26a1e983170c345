package dev.cachewarming.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which shared tier (L2) the caches use, under {@code cache-warming.l2.*}.
 *
 * <pre>
 * cache-warming:
 *   l2:
 *     backend: memcached     # auto (default), redis, memcached or none
 *   memcached:
 *     servers: cache-1:11211,cache-2:11211
 * </pre>
 */
@ConfigurationProperties("cache-warming.l2")
public class L2Properties {

    /**
     * The shared tier: auto (Memcached when cache-warming.memcached.servers is set, otherwise Redis when a Lettuce
     * RedisConnectionFactory exists, otherwise none), redis, memcached, or none (every cache in-process only). A
     * backend asked for that cannot be used fails startup.
     */
    private Backend backend = Backend.AUTO;

    public Backend getBackend() {
        return this.backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    /** The shared tiers cache-warming can use. */
    public enum Backend {

        /** Memcached if its servers are configured, otherwise Redis if there is a connection, otherwise none. */
        AUTO,

        /** Redis, through the application's Lettuce {@code RedisConnectionFactory}. */
        REDIS,

        /** Memcached, through xmemcached, at {@code cache-warming.memcached.servers}. */
        MEMCACHED,

        /** No shared tier: every cache is in-process only. */
        NONE
    }
}
