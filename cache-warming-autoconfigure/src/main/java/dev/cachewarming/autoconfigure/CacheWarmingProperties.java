package dev.cachewarming.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

import dev.cachewarming.stampede.WaitTimeoutPolicy;

/**
 * Configuration of cache-warming, under {@code cache-warming.*}.
 *
 * <p>Every cache takes its settings from {@code cache-warming.defaults.*}, overridden per cache by
 * {@code cache-warming.caches.<name>.*}:
 *
 * <pre>
 * cache-warming:
 *   defaults:
 *     ttl: 10m
 *   caches:
 *     products:
 *       ttl: 1h
 *       l1-max-size: 50000
 *     prices:
 *       l2-enabled: false
 * </pre>
 *
 * <p>Values are checked once bound ({@link #afterPropertiesSet()}): a value the starter cannot run with fails
 * startup with an {@link InvalidCacheWarmingPropertyException} naming the property and the fix.
 */
@ConfigurationProperties("cache-warming")
public class CacheWarmingProperties implements InitializingBean {

    /**
     * Whether cache-warming is switched on. When off, none of its beans is created.
     */
    private boolean enabled = true;

    /**
     * Settings every cache starts from.
     */
    private final CacheDefaults defaults = new CacheDefaults();

    /**
     * Per-cache settings, by cache name; each unset value falls back to {@code cache-warming.defaults}.
     */
    private final Map<String, CacheOverrides> caches = new LinkedHashMap<>();

    /**
     * The Redis (L2) tier.
     */
    private final Redis redis = new Redis();

    /**
     * The Spring CacheManager view of the caches.
     */
    private final CacheManager cacheManager = new CacheManager();

    /**
     * Stampede protection (@StampedeProtected).
     */
    private final Stampede stampede = new Stampede();

    /**
     * Refresh-ahead (@RefreshAhead).
     */
    private final Refresh refresh = new Refresh();

    /**
     * The method interceptor behind the annotations.
     */
    private final Interceptor interceptor = new Interceptor();

    /**
     * Warming (@Warmable) and the readiness gate.
     */
    private final Warmup warmup = new Warmup();

    /**
     * Checks the bound values before any bean reads them (the per-cache settings are checked when they are
     * resolved).
     * @throws InvalidCacheWarmingPropertyException for the first value that cannot work
     */
    @Override
    public void afterPropertiesSet() {
        CacheWarmingPropertiesValidation.validate(this);
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public CacheDefaults getDefaults() {
        return this.defaults;
    }

    public Map<String, CacheOverrides> getCaches() {
        return this.caches;
    }

    public Redis getRedis() {
        return this.redis;
    }

    public CacheManager getCacheManager() {
        return this.cacheManager;
    }

    public Stampede getStampede() {
        return this.stampede;
    }

    public Refresh getRefresh() {
        return this.refresh;
    }

    public Interceptor getInterceptor() {
        return this.interceptor;
    }

    public Warmup getWarmup() {
        return this.warmup;
    }

    /**
     * Settings every cache starts from.
     */
    public static class CacheDefaults {

        /**
         * How long a value stays fresh, before jitter; also its time to live in Redis.
         */
        private Duration ttl = Duration.ofMinutes(10);

        /**
         * How long a value may stay in the in-process tier (L1) before it is read again from Redis. Defaults
         * to the ttl; never longer than it. Bounds how stale an in-process copy can get if an invalidation is
         * missed.
         */
        private Duration l1Ttl;

        /**
         * Most entries the in-process tier (L1) of one cache holds.
         */
        private long l1MaxSize = 10_000;

        /**
         * Whether caches use Redis (L2) when a RedisConnectionFactory is available.
         */
        private boolean l2Enabled = true;

        /**
         * Spread applied to every TTL, as a fraction (0 to less than 1): 0.1 turns 10m into 9m to 11m, so
         * entries written together do not expire together.
         */
        private double jitter = 0.1;

        /**
         * How long absent results (null or empty Optional) stay cached. 0 does not cache them.
         */
        private Duration absentTtl = Duration.ofSeconds(30);

        /**
         * How long an expired value is kept after it expires, to be served while it is reloaded where stale
         * reads are allowed. 0 keeps nothing.
         */
        private Duration staleTtl = Duration.ZERO;

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getL1Ttl() {
            return this.l1Ttl;
        }

        public void setL1Ttl(Duration l1Ttl) {
            this.l1Ttl = l1Ttl;
        }

        public long getL1MaxSize() {
            return this.l1MaxSize;
        }

        public void setL1MaxSize(long l1MaxSize) {
            this.l1MaxSize = l1MaxSize;
        }

        public boolean isL2Enabled() {
            return this.l2Enabled;
        }

        public void setL2Enabled(boolean l2Enabled) {
            this.l2Enabled = l2Enabled;
        }

        public double getJitter() {
            return this.jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        public Duration getAbsentTtl() {
            return this.absentTtl;
        }

        public void setAbsentTtl(Duration absentTtl) {
            this.absentTtl = absentTtl;
        }

        public Duration getStaleTtl() {
            return this.staleTtl;
        }

        public void setStaleTtl(Duration staleTtl) {
            this.staleTtl = staleTtl;
        }
    }

    /**
     * Settings of one cache; each unset value falls back to {@code cache-warming.defaults}.
     */
    public static class CacheOverrides {

        /**
         * How long a value stays fresh, before jitter; also its time to live in Redis.
         */
        private Duration ttl;

        /**
         * How long a value may stay in the in-process tier (L1); never longer than the ttl.
         */
        private Duration l1Ttl;

        /**
         * Most entries the in-process tier (L1) of this cache holds.
         */
        private Long l1MaxSize;

        /**
         * Whether this cache uses Redis (L2). false keeps it in-process only.
         */
        private Boolean l2Enabled;

        /**
         * Spread applied to every TTL of this cache, as a fraction (0 to less than 1).
         */
        private Double jitter;

        /**
         * How long absent results stay cached. 0 does not cache them.
         */
        private Duration absentTtl;

        /**
         * How long an expired value is kept to be served while it is reloaded. 0 keeps nothing.
         */
        private Duration staleTtl;

        /**
         * Type of the values, for caches used only through Spring's @Cacheable (annotated methods declare their
         * own). Needed to share such a cache through Redis: values are stored as JSON of this type, never with
         * class names.
         */
        private Class<?> valueType;

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getL1Ttl() {
            return this.l1Ttl;
        }

        public void setL1Ttl(Duration l1Ttl) {
            this.l1Ttl = l1Ttl;
        }

        public Long getL1MaxSize() {
            return this.l1MaxSize;
        }

        public void setL1MaxSize(Long l1MaxSize) {
            this.l1MaxSize = l1MaxSize;
        }

        public Boolean getL2Enabled() {
            return this.l2Enabled;
        }

        public void setL2Enabled(Boolean l2Enabled) {
            this.l2Enabled = l2Enabled;
        }

        public Double getJitter() {
            return this.jitter;
        }

        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }

        public Duration getAbsentTtl() {
            return this.absentTtl;
        }

        public void setAbsentTtl(Duration absentTtl) {
            this.absentTtl = absentTtl;
        }

        public Duration getStaleTtl() {
            return this.staleTtl;
        }

        public void setStaleTtl(Duration staleTtl) {
            this.staleTtl = staleTtl;
        }

        public Class<?> getValueType() {
            return this.valueType;
        }

        public void setValueType(Class<?> valueType) {
            this.valueType = valueType;
        }
    }

    /**
     * The Redis (L2) tier.
     */
    public static class Redis {

        /**
         * Whether to use Redis as the shared tier when a RedisConnectionFactory is available.
         */
        private boolean enabled = true;

        /**
         * Namespace of every Redis key and channel: entries are stored at {prefix}:{cache}:{key}.
         */
        private String keyPrefix = "cache-warming";

        /**
         * Most time one Redis command of the cache may take, whatever spring.data.redis.timeout says; past it
         * the caller carries on without Redis. With the adaptive timeout, the cap of the time a command is given.
         */
        private Duration commandTimeout = Duration.ofMillis(250);

        /**
         * How a batch of values (a warm-up batch, a repopulation) is written: 'script' runs one Lua script of SET
         * commands per batch, which spares the application about 40% of the CPU of a pipeline and costs Redis about
         * 50% more per key; 'pipeline' sends one SET per key in one round trip. Redis Cluster, and a server that
         * refuses scripts, always get pipelines.
         */
        private BatchWrites batchWrites = BatchWrites.SCRIPT;

        /**
         * Time a command is given, from the latency Redis has shown lately (at most command-timeout).
         */
        private final AdaptiveTimeout adaptiveTimeout = new AdaptiveTimeout();

        /**
         * Longest wait between two attempts to reconnect to a lost Redis, applied to Spring Boot's Lettuce
         * ClientResources (every Lettuce connection of the application) unless the application defines its own
         * ClientResources. Lettuce's default backs off to 30s, so after a 10s outage it may reconnect seconds
         * after Redis is back.
         */
        private Duration maxReconnectDelay = Duration.ofMillis(500);

        /**
         * Circuit breaker that stops calling Redis while it fails.
         */
        private final CircuitBreaker circuitBreaker = new CircuitBreaker();

        /**
         * Redis Cluster: how the application's Lettuce connections learn of a failover.
         */
        private final Cluster cluster = new Cluster();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
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

        public BatchWrites getBatchWrites() {
            return this.batchWrites;
        }

        public void setBatchWrites(BatchWrites batchWrites) {
            this.batchWrites = batchWrites;
        }

        public CircuitBreaker getCircuitBreaker() {
            return this.circuitBreaker;
        }

        public AdaptiveTimeout getAdaptiveTimeout() {
            return this.adaptiveTimeout;
        }

        public Duration getMaxReconnectDelay() {
            return this.maxReconnectDelay;
        }

        public void setMaxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = maxReconnectDelay;
        }

        public Cluster getCluster() {
            return this.cluster;
        }
    }

    /**
     * How a batch of values goes to Redis.
     */
    public enum BatchWrites {

        /** One Lua script of {@code SET} commands per batch. */
        SCRIPT,

        /** One {@code SET} per key, pipelined. */
        PIPELINE
    }

    /**
     * Time a Redis command is given, from the latency Redis has shown lately.
     */
    public static class AdaptiveTimeout {

        /**
         * Whether a command is given a multiple of the recent p99 latency instead of command-timeout.
         */
        private boolean enabled = true;

        /**
         * How many times the p99 of the last 256 answers a command is given.
         */
        private double multiplier = 4;

        /**
         * Least time a command is given, however fast Redis has been.
         */
        private Duration floor = Duration.ofMillis(20);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getFloor() {
            return this.floor;
        }

        public void setFloor(Duration floor) {
            this.floor = floor;
        }
    }

    /**
     * Redis Cluster: how the application's Lettuce connections learn of a failover.
     */
    public static class Cluster {

        /**
         * Whether the application's Lettuce cluster connections refresh their topology on adaptive triggers
         * (MOVED/ASK redirects, persistent reconnects, unknown nodes), at most once per adaptive-refresh-timeout,
         * and every refresh-period, when spring.data.redis.lettuce.cluster.refresh.* is not set. Without a refresh
         * Lettuce keeps sending a failed master's slots to the dead node.
         */
        private boolean topologyRefresh = true;

        /**
         * How often the cluster topology is refreshed in any case (with topology-refresh).
         */
        private Duration refreshPeriod = Duration.ofSeconds(30);

        /**
         * Shortest time between two refreshes triggered by adaptive triggers (with topology-refresh). Lettuce's
         * default, 5s, lets a refresh made while the failover is still under way hide its outcome for 5s.
         */
        private Duration adaptiveRefreshTimeout = Duration.ofSeconds(1);

        public boolean isTopologyRefresh() {
            return this.topologyRefresh;
        }

        public void setTopologyRefresh(boolean topologyRefresh) {
            this.topologyRefresh = topologyRefresh;
        }

        public Duration getRefreshPeriod() {
            return this.refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = refreshPeriod;
        }

        public Duration getAdaptiveRefreshTimeout() {
            return this.adaptiveRefreshTimeout;
        }

        public void setAdaptiveRefreshTimeout(Duration adaptiveRefreshTimeout) {
            this.adaptiveRefreshTimeout = adaptiveRefreshTimeout;
        }
    }

    /**
     * Circuit breaker that stops calling Redis while it fails.
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
         * How long the breaker stays open (Redis not called) before Resilience4j's own timer lets a few calls
         * probe it; the pings every probe-interval usually close it sooner.
         */
        private Duration openDuration = Duration.ofSeconds(5);

        /**
         * Failed or timed-out calls within fast-open-window that open the breaker at once, whatever the failure
         * rate over the sliding window.
         */
        private int fastOpenFailures = 3;

        /**
         * Window of fast-open-failures.
         */
        private Duration fastOpenWindow = Duration.ofSeconds(1);

        /**
         * Calls slower than this count as slow, answered or not.
         */
        private Duration slowCallDuration = Duration.ofMillis(100);

        /**
         * Percentage of slow calls, among the last sliding-window-size, that opens the breaker.
         */
        private float slowCallRateThreshold = 50;

        /**
         * How often Redis is pinged while the breaker is open; the first answer lets a few calls probe it, and
         * their success closes the breaker.
         */
        private Duration probeInterval = Duration.ofMillis(250);

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

        public int getFastOpenFailures() {
            return this.fastOpenFailures;
        }

        public void setFastOpenFailures(int fastOpenFailures) {
            this.fastOpenFailures = fastOpenFailures;
        }

        public Duration getFastOpenWindow() {
            return this.fastOpenWindow;
        }

        public void setFastOpenWindow(Duration fastOpenWindow) {
            this.fastOpenWindow = fastOpenWindow;
        }

        public Duration getSlowCallDuration() {
            return this.slowCallDuration;
        }

        public void setSlowCallDuration(Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public float getSlowCallRateThreshold() {
            return this.slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public Duration getProbeInterval() {
            return this.probeInterval;
        }

        public void setProbeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
        }
    }

    /**
     * The Spring CacheManager view of the caches.
     */
    public static class CacheManager {

        /**
         * Whether to expose the caches as a Spring CacheManager (for @Cacheable) when the application defines
         * none of its own.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Stampede protection (@StampedeProtected).
     */
    public static class Stampede {

        /**
         * Longest time a caller waits for another instance's load of the key it needs.
         */
        private Duration waitTimeout = Duration.ofSeconds(5);

        /**
         * What a caller does when the wait times out: load (load the key itself), throw (a
         * StampedeWaitTimeoutException) or serve-stale (the stale value if one is held, otherwise load).
         */
        private WaitTimeoutPolicy onWaitTimeout = WaitTimeoutPolicy.LOAD;

        /**
         * How long a load lease lasts without renewal. Held leases are renewed every third of it, and at least
         * every 500ms; a lease that missed three renewals (its holder died or cannot reach Redis) is taken over, so
         * a dead holder blocks others for at most this long, and usually for about 1.5s.
         */
        private Duration leaseTtl = Duration.ofSeconds(10);

        /**
         * How long a caller waiting for another instance's load first waits for its message before looking for the
         * value (and the lease) itself; doubled after each look, up to max-recheck-interval. So a lost message
         * costs a waiter about the load time again, not the wait timeout.
         */
        private Duration recheckInterval = Duration.ofMillis(50);

        /**
         * Longest wait between two looks of a caller waiting for another instance's load.
         */
        private Duration maxRecheckInterval = Duration.ofSeconds(1);

        public Duration getRecheckInterval() {
            return this.recheckInterval;
        }

        public void setRecheckInterval(Duration recheckInterval) {
            this.recheckInterval = recheckInterval;
        }

        public Duration getMaxRecheckInterval() {
            return this.maxRecheckInterval;
        }

        public void setMaxRecheckInterval(Duration maxRecheckInterval) {
            this.maxRecheckInterval = maxRecheckInterval;
        }

        public Duration getWaitTimeout() {
            return this.waitTimeout;
        }

        public void setWaitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
        }

        public WaitTimeoutPolicy getOnWaitTimeout() {
            return this.onWaitTimeout;
        }

        public void setOnWaitTimeout(WaitTimeoutPolicy onWaitTimeout) {
            this.onWaitTimeout = onWaitTimeout;
        }

        public Duration getLeaseTtl() {
            return this.leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }
    }

    /**
     * Refresh-ahead (@RefreshAhead).
     */
    public static class Refresh {

        /**
         * XFetch weight: above 1 refreshes earlier, below 1 later, 0 switches probabilistic refresh off.
         */
        private double beta = 1.0;

        /**
         * Fraction of the TTL after which a hit always refreshes (e.g. 0.8); 0 for none.
         */
        private double threshold = 0;

        /**
         * How long after its last read a key stops being refreshed in the background.
         */
        private Duration stopAfterIdle = Duration.ofMinutes(10);

        /**
         * How often recently read keys are checked for coming expiry.
         */
        private Duration sweepInterval = Duration.ofSeconds(1);

        /**
         * Threads that run refreshes.
         */
        private int poolSize = 2;

        /**
         * Refreshes that may wait for a thread; more are skipped (never blocking a caller).
         */
        private int queueCapacity = 1000;

        /**
         * Ignored: reads are tracked in the L1 entries themselves, as many as L1 holds ('l1-max-size').
         */
        private int maxTrackedKeys = 10_000;

        public double getBeta() {
            return this.beta;
        }

        public void setBeta(double beta) {
            this.beta = beta;
        }

        public double getThreshold() {
            return this.threshold;
        }

        public void setThreshold(double threshold) {
            this.threshold = threshold;
        }

        public Duration getStopAfterIdle() {
            return this.stopAfterIdle;
        }

        public void setStopAfterIdle(Duration stopAfterIdle) {
            this.stopAfterIdle = stopAfterIdle;
        }

        public Duration getSweepInterval() {
            return this.sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }

        public int getPoolSize() {
            return this.poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public int getQueueCapacity() {
            return this.queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        @Deprecated(since = "0.1.0", forRemoval = true)
        @org.springframework.boot.context.properties.DeprecatedConfigurationProperty(
                reason = "Reads are tracked in the L1 entries themselves, for as many keys as L1 holds", since = "0.1.0")
        public int getMaxTrackedKeys() {
            return this.maxTrackedKeys;
        }

        @Deprecated(since = "0.1.0", forRemoval = true)
        public void setMaxTrackedKeys(int maxTrackedKeys) {
            this.maxTrackedKeys = maxTrackedKeys;
        }
    }

    /**
     * The method interceptor behind the annotations.
     */
    public static class Interceptor {

        /**
         * Order of the interceptor among advisors. The default runs it outside @Transactional and outside
         * aspects of default order, so a cache hit opens no transaction.
         */
        private int order = Ordered.LOWEST_PRECEDENCE - 1000;

        public int getOrder() {
            return this.order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /**
     * What happens when the REQUIRED tier is not warm within max-wait.
     */
    public enum RequiredTimeoutPolicy {

        /** The instance stays not ready (readiness OUT_OF_SERVICE) until a re-warm succeeds. */
        NOT_READY,

        /** The instance reports itself broken (liveness), so an orchestrator restarts it. */
        FAIL
    }

    /**
     * Warming (@Warmable) and the readiness gate.
     */
    public static class Warmup {

        /**
         * Whether @Warmable methods are warmed at startup (and readiness held meanwhile).
         */
        private boolean enabled = true;

        /**
         * Whether the warmup health indicator joins the readiness group, so readiness is 503 while warming.
         */
        private boolean readinessGate = true;

        /**
         * Time the whole warm-up may take; then it stops and readiness is released (see max-wait).
         */
        private Duration budget = Duration.ofSeconds(30);

        /**
         * How long the REQUIRED tier may hold readiness, past the budget.
         */
        private Duration maxWait = Duration.ofMinutes(2);

        /**
         * What happens when the REQUIRED tier misses max-wait: not-ready (stay out of service) or fail (report
         * liveness BROKEN).
         */
        private RequiredTimeoutPolicy onRequiredTimeout = RequiredTimeoutPolicy.NOT_READY;

        /**
         * Most loads running at once per cache: batch calls, or single calls for a method warmed key by key.
         */
        private int concurrency = 8;

        /**
         * Whether the loads at once adapt to the loader's latency (Netflix concurrency-limits' GradientLimit): from
         * 1 up to concurrency while the latency holds, backing off when it rises. False keeps concurrency loads
         * at once.
         */
        private boolean adaptiveConcurrency = true;

        /**
         * Keys per batch (per @Warmable(batchSize) overrides).
         */
        private int batchSize = 1000;

        /**
         * Keys per second loaded across all caches, to protect the database; 0 for no limit. Keys copied from
         * Redis do not count.
         */
        private int rateLimit = 0;

        /**
         * Keys per second loaded per cache; 0 for no limit.
         */
        private int cacheRateLimit = 0;

        /**
         * Most keys warmed per cache.
         */
        private int maxKeys = 10_000;

        /**
         * How often progress is logged while warming.
         */
        private Duration progressInterval = Duration.ofSeconds(5);

        /**
         * Requests per second of a single key above which a warning is logged; 0 for no alert.
         */
        private double hotKeyAlertRate = 0;

        /**
         * Remembering traffic, to warm the same keys on the next start.
         */
        private final Remember remember = new Remember();

        /**
         * Access logs to replay, by cache name.
         */
        private final Map<String, AccessLog> accessLogs = new LinkedHashMap<>();

        /**
         * Shadow traffic: warm what peer instances are being asked right now (needs Redis).
         */
        private final Shadow shadow = new Shadow();

        public Map<String, AccessLog> getAccessLogs() {
            return this.accessLogs;
        }

        public Shadow getShadow() {
            return this.shadow;
        }

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isReadinessGate() {
            return this.readinessGate;
        }

        public void setReadinessGate(boolean readinessGate) {
            this.readinessGate = readinessGate;
        }

        public Duration getBudget() {
            return this.budget;
        }

        public void setBudget(Duration budget) {
            this.budget = budget;
        }

        public Duration getMaxWait() {
            return this.maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public RequiredTimeoutPolicy getOnRequiredTimeout() {
            return this.onRequiredTimeout;
        }

        public void setOnRequiredTimeout(RequiredTimeoutPolicy onRequiredTimeout) {
            this.onRequiredTimeout = onRequiredTimeout;
        }

        public int getConcurrency() {
            return this.concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public boolean isAdaptiveConcurrency() {
            return this.adaptiveConcurrency;
        }

        public void setAdaptiveConcurrency(boolean adaptiveConcurrency) {
            this.adaptiveConcurrency = adaptiveConcurrency;
        }

        public int getBatchSize() {
            return this.batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getRateLimit() {
            return this.rateLimit;
        }

        public void setRateLimit(int rateLimit) {
            this.rateLimit = rateLimit;
        }

        public int getCacheRateLimit() {
            return this.cacheRateLimit;
        }

        public void setCacheRateLimit(int cacheRateLimit) {
            this.cacheRateLimit = cacheRateLimit;
        }

        public int getMaxKeys() {
            return this.maxKeys;
        }

        public void setMaxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
        }

        public Duration getProgressInterval() {
            return this.progressInterval;
        }

        public void setProgressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
        }

        public double getHotKeyAlertRate() {
            return this.hotKeyAlertRate;
        }

        public void setHotKeyAlertRate(double hotKeyAlertRate) {
            this.hotKeyAlertRate = hotKeyAlertRate;
        }

        public Remember getRemember() {
            return this.remember;
        }
    }

    /**
     * Remembering traffic, to warm the same keys on the next start.
     */
    public static class Remember {

        /**
         * Whether calls of @Warmable methods are sampled and remembered.
         */
        private boolean enabled = true;

        /**
         * Fraction of calls recorded (0 to 1).
         */
        private double sampleRate = 0.1;

        /**
         * Most keys counted and remembered per cache.
         */
        private int capacity = 1000;

        /**
         * How often hot keys are saved (and at shutdown).
         */
        private Duration persistInterval = Duration.ofMinutes(1);

        /**
         * Weight of the stored counts at each save (0 to 1): lower forgets old traffic faster.
         */
        private double decay = 0.5;

        /**
         * Directory of the hot-key files when Redis is not used.
         */
        private Path directory = Path.of(System.getProperty("java.io.tmpdir"), "cache-warming");

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getSampleRate() {
            return this.sampleRate;
        }

        public void setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
        }

        public int getCapacity() {
            return this.capacity;
        }

        public void setCapacity(int capacity) {
            this.capacity = capacity;
        }

        public Duration getPersistInterval() {
            return this.persistInterval;
        }

        public void setPersistInterval(Duration persistInterval) {
            this.persistInterval = persistInterval;
        }

        public double getDecay() {
            return this.decay;
        }

        public void setDecay(double decay) {
            this.decay = decay;
        }

        public Path getDirectory() {
            return this.directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }

    /**
     * An access log to replay for one cache.
     */
    public static class AccessLog {

        /**
         * Path of the log file.
         */
        private Path path;

        /**
         * Regular expression whose first capturing group is the method's argument, e.g. "GET /products/(\\d+)".
         */
        private String pattern;

        /**
         * Fraction of the lines read (0 to 1).
         */
        private double sampleRate = 1.0;

        public Path getPath() {
            return this.path;
        }

        public void setPath(Path path) {
            this.path = path;
        }

        public String getPattern() {
            return this.pattern;
        }

        public void setPattern(String pattern) {
            this.pattern = pattern;
        }

        public double getSampleRate() {
            return this.sampleRate;
        }

        public void setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
        }
    }

    /**
     * Shadow traffic: warm what peer instances are being asked right now.
     */
    public static class Shadow {

        /**
         * Whether instances publish sampled keys of @Warmable methods to a Redis Stream, and warming reads their
         * recent window. Needs the Redis tier.
         */
        private boolean enabled = false;

        /**
         * How far back a warming instance reads its peers' traffic.
         */
        private Duration window = Duration.ofSeconds(30);

        /**
         * About how many entries each cache's stream keeps.
         */
        private long maxLength = 10_000;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getWindow() {
            return this.window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public long getMaxLength() {
            return this.maxLength;
        }

        public void setMaxLength(long maxLength) {
            this.maxLength = maxLength;
        }
    }
}
