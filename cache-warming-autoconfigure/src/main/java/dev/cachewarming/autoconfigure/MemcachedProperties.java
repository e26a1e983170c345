package dev.cachewarming.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The Memcached shared tier, under {@code cache-warming.memcached.*}: used when {@code cache-warming.l2.backend} is
 * {@code memcached}, or {@code auto} with servers set.
 */
@ConfigurationProperties("cache-warming.memcached")
public class MemcachedProperties {

    /**
     * Memcached servers as host:port, separated by commas or spaces (keys are spread over them by consistent
     * hashing, ketama). Setting it makes Memcached the shared tier when cache-warming.l2.backend is auto.
     */
    private String servers;

    /**
     * Namespace of every Memcached key: entries are stored at {prefix}:{cache}:{key}. Printable ASCII without
     * spaces.
     */
    private String keyPrefix = "cache-warming";

    /**
     * Most time one Memcached command of the cache may take; past it the caller carries on without Memcached.
     */
    private Duration commandTimeout = Duration.ofMillis(250);

    /**
     * How long connecting to a server may take.
     */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /**
     * How other instances hear of writes, so they drop their in-process copies: auto (Redis pub/sub when the
     * application has a Lettuce RedisConnectionFactory, otherwise none) or none (in-process copies stay stale for
     * up to their l1-ttl).
     */
    private Invalidations invalidations = Invalidations.AUTO;

    /**
     * How often, while callers wait for another instance's load and no invalidation channel can wake them, the
     * leases they wait on are read to see whether they were released.
     */
    private Duration leasePollInterval = Duration.ofMillis(20);

    /**
     * Circuit breaker that stops calling Memcached while it fails.
     */
    @NestedConfigurationProperty
    private final CacheWarmingProperties.CircuitBreaker circuitBreaker = new CacheWarmingProperties.CircuitBreaker();

    public String getServers() {
        return this.servers;
    }

    public void setServers(String servers) {
        this.servers = servers;
    }

    public String getKeyPrefix() {
        return this.keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getCommandTimeout() {
        return this.commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Invalidations getInvalidations() {
        return this.invalidations;
    }

    public void setInvalidations(Invalidations invalidations) {
        this.invalidations = invalidations;
    }

    public Duration getLeasePollInterval() {
        return this.leasePollInterval;
    }

    public void setLeasePollInterval(Duration leasePollInterval) {
        this.leasePollInterval = leasePollInterval;
    }

    public CacheWarmingProperties.CircuitBreaker getCircuitBreaker() {
        return this.circuitBreaker;
    }

    /** @return whether servers are configured */
    boolean hasServers() {
        return this.servers != null && !this.servers.isBlank();
    }

    /** How other instances hear of writes to Memcached. */
    public enum Invalidations {

        /** Redis pub/sub when the application has Redis, otherwise none. */
        AUTO,

        /** Not told: in-process copies stay stale for up to their l1-ttl. */
        NONE
    }
}
