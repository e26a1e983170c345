package dev.cachewarming.autoconfigure;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Memcached shared tier, under {@code cache-warming.memcached.*}: used when {@code cache-warming.l2.backend} is
 * {@code memcached}, or {@code auto} with servers set.
 */
@ConfigurationProperties("cache-warming.memcached")
public class MemcachedProperties implements InitializingBean {

    private static final String PREFIX = "cache-warming.memcached.";

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
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /**
     * Checks the bound values: one the tier cannot run with fails startup naming the property and the fix.
     * @throws InvalidCacheWarmingPropertyException for the first value that cannot work
     */
    @Override
    public void afterPropertiesSet() {
        requirePositive(this.commandTimeout, "command-timeout", "250ms");
        requirePositive(this.connectTimeout, "connect-timeout", "1s");
        requirePositive(this.leasePollInterval, "lease-poll-interval", "20ms");
        requirePositive(this.circuitBreaker.getOpenDuration(), "circuit-breaker.open-duration", "5s");
        String breaker = PREFIX + "circuit-breaker.";
        CacheWarmingPropertiesValidation.require(this.circuitBreaker.getFailureRateThreshold() > 0
                && this.circuitBreaker.getFailureRateThreshold() <= 100, breaker + "failure-rate-threshold",
                this.circuitBreaker.getFailureRateThreshold(), "the threshold is a percentage above 0 and at most 100",
                "Set '" + breaker + "failure-rate-threshold' to a percentage such as 50.");
        CacheWarmingPropertiesValidation.require(this.circuitBreaker.getSlidingWindowSize() >= 1,
                breaker + "sliding-window-size", this.circuitBreaker.getSlidingWindowSize(),
                "the window must hold at least one call",
                "Set '" + breaker + "sliding-window-size' to a positive number such as 20.");
        CacheWarmingPropertiesValidation.require(this.circuitBreaker.getMinimumCalls() >= 1,
                breaker + "minimum-calls", this.circuitBreaker.getMinimumCalls(),
                "at least one call must be seen before judging",
                "Set '" + breaker + "minimum-calls' to a positive number such as 5.");
    }

    private static void requirePositive(Duration value, String name, String example) {
        CacheWarmingPropertiesValidation.require(value != null && value.compareTo(Duration.ofMillis(1)) >= 0,
                PREFIX + name, value, "the duration must be at least 1ms",
                "Set '" + PREFIX + name + "' to a positive duration such as " + example + ".");
    }

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

    public CircuitBreaker getCircuitBreaker() {
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

    /**
     * Circuit breaker that stops calling Memcached while it fails.
     */
    public static class CircuitBreaker {

        /**
         * Percentage of failed calls, among the last sliding-window-size, that opens the breaker.
         */
        private float failureRateThreshold = 50;

        /**
         * Number of recent calls the failure rate is computed over.
         */
        private int slidingWindowSize = 20;

        /**
         * Fewest calls before the failure rate is judged.
         */
        private int minimumCalls = 5;

        /**
         * How long the breaker stays open (Memcached not called) before a few calls probe it again.
         */
        private Duration openDuration = Duration.ofSeconds(5);

        public float getFailureRateThreshold() {
            return this.failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return this.slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumCalls() {
            return this.minimumCalls;
        }

        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public Duration getOpenDuration() {
            return this.openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }
    }
}
