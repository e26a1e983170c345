package dev.cachewarming.autoconfigure;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.cachewarming.cache.CacheSettings;

/**
 * Resolves each cache's {@link CacheSettings} from {@link CacheWarmingProperties}: {@code caches.<name>} over
 * {@code defaults}. Every configured cache is checked when this is created, so a bad value fails startup with
 * the full name of the property at fault.
 */
class PropertiesCacheSettings implements Function<String, CacheSettings> {

    private static final String PREFIX = "cache-warming.";

    private final CacheWarmingProperties properties;

    private final Map<String, CacheSettings> resolved = new ConcurrentHashMap<>();

    PropertiesCacheSettings(CacheWarmingProperties properties) {
        this.properties = properties;
        validateRedis(properties.getRedis());
        validateStampede(properties.getStampede());
        validateRefresh(properties.getRefresh());
        validateWarmup(properties.getWarmup());
        apply("(defaults)");
        properties.getCaches().keySet().forEach(this::apply);
    }

    @Override
    public CacheSettings apply(String cacheName) {
        return this.resolved.computeIfAbsent(cacheName, this::resolve);
    }

    /**
     * @param cacheName a cache name
     * @return the value type configured for it, or {@code null}
     */
    Type valueType(String cacheName) {
        CacheWarmingProperties.CacheOverrides overrides = this.properties.getCaches().get(cacheName);
        return (overrides != null) ? overrides.getValueType() : null;
    }

    private CacheSettings resolve(String cacheName) {
        CacheWarmingProperties.CacheDefaults defaults = this.properties.getDefaults();
        CacheWarmingProperties.CacheOverrides overrides = this.properties.getCaches().get(cacheName);
        String base = (overrides != null) ? PREFIX + "caches." + cacheName + "." : PREFIX + "defaults.";
        boolean own = overrides != null;

        Duration ttl = pick(own ? overrides.getTtl() : null, defaults.getTtl());
        String ttlProperty = (own && overrides.getTtl() != null) ? base + "ttl" : PREFIX + "defaults.ttl";
        require(ttl != null && !ttl.isNegative() && !ttl.isZero(), ttlProperty, ttl, "the ttl must be positive",
                "Set '" + ttlProperty + "' to a positive duration such as 10m.");

        Duration ownL1 = own ? overrides.getL1Ttl() : null;
        Duration l1Ttl = pick(ownL1, defaults.getL1Ttl());
        String l1Property = (ownL1 != null) ? base + "l1-ttl" : PREFIX + "defaults.l1-ttl";
        if (l1Ttl == null) {
            l1Ttl = ttl;
        }
        else if (l1Ttl.compareTo(ttl) > 0) {
            fail(l1Property, l1Ttl, "the in-process TTL must not exceed the ttl (" + ttl + ") of the cache",
                    "Set '" + l1Property + "' to at most " + ttl + ", or raise the ttl.");
        }
        require(!l1Ttl.isNegative() && !l1Ttl.isZero(), l1Property, l1Ttl, "the in-process TTL must be positive",
                "Set '" + l1Property + "' to a positive duration, or remove it to use the ttl.");

        long l1MaxSize = pick(own ? overrides.getL1MaxSize() : null, defaults.getL1MaxSize());
        String sizeProperty = property(base, own && overrides.getL1MaxSize() != null, "l1-max-size");
        require(l1MaxSize >= 1, sizeProperty, l1MaxSize, "the in-process tier must hold at least one entry",
                "Set '" + sizeProperty + "' to a positive number such as 10000.");

        double jitter = pick(own ? overrides.getJitter() : null, defaults.getJitter());
        String jitterProperty = property(base, own && overrides.getJitter() != null, "jitter");
        require(jitter >= 0.0 && jitter < 1.0, jitterProperty, jitter, "jitter must be at least 0 and below 1",
                "Set '" + jitterProperty + "' to a fraction such as 0.1 (10%), or 0 for no jitter.");

        Duration absentTtl = pick(own ? overrides.getAbsentTtl() : null, defaults.getAbsentTtl());
        String absentProperty = property(base, own && overrides.getAbsentTtl() != null, "absent-ttl");
        require(absentTtl != null && !absentTtl.isNegative(), absentProperty, absentTtl,
                "absent-ttl must not be negative", "Set '" + absentProperty + "' to a duration, or 0 to not cache "
                        + "absent results.");

        Duration staleTtl = pick(own ? overrides.getStaleTtl() : null, defaults.getStaleTtl());
        String staleProperty = property(base, own && overrides.getStaleTtl() != null, "stale-ttl");
        require(staleTtl != null && !staleTtl.isNegative(), staleProperty, staleTtl,
                "stale-ttl must not be negative", "Set '" + staleProperty + "' to a duration, or 0 to keep no "
                        + "stale values.");

        boolean l2Enabled = pick(own ? overrides.getL2Enabled() : null, defaults.isL2Enabled());
        return new CacheSettings(ttl, l1Ttl, l1MaxSize, l2Enabled, jitter, absentTtl, staleTtl);
    }

    private static void validateRedis(CacheWarmingProperties.Redis redis) {
        String redisPrefix = PREFIX + "redis.";
        require(redis.getKeyPrefix() != null && !redis.getKeyPrefix().isBlank()
                && redis.getKeyPrefix().chars().noneMatch(Character::isWhitespace), redisPrefix + "key-prefix",
                redis.getKeyPrefix(), "the key prefix must be a non-empty word without spaces",
                "Set '" + redisPrefix + "key-prefix' to a short name such as 'cache-warming' or your application's.");
        Duration timeout = redis.getCommandTimeout();
        require(timeout != null && !timeout.isNegative() && !timeout.isZero(), redisPrefix + "command-timeout",
                timeout, "the command timeout must be positive",
                "Set '" + redisPrefix + "command-timeout' to a short duration such as 250ms.");
        CacheWarmingProperties.CircuitBreaker breaker = redis.getCircuitBreaker();
        String breakerPrefix = redisPrefix + "circuit-breaker.";
        require(breaker.getFailureRateThreshold() > 0 && breaker.getFailureRateThreshold() <= 100,
                breakerPrefix + "failure-rate-threshold", breaker.getFailureRateThreshold(),
                "the threshold is a percentage above 0 and at most 100",
                "Set '" + breakerPrefix + "failure-rate-threshold' to a percentage such as 50.");
        require(breaker.getSlidingWindowSize() >= 1, breakerPrefix + "sliding-window-size",
                breaker.getSlidingWindowSize(), "the window must hold at least one call",
                "Set '" + breakerPrefix + "sliding-window-size' to a positive number such as 20.");
        require(breaker.getMinimumCalls() >= 1, breakerPrefix + "minimum-calls", breaker.getMinimumCalls(),
                "at least one call must be seen before judging", "Set '" + breakerPrefix
                        + "minimum-calls' to a positive number such as 5.");
        Duration open = breaker.getOpenDuration();
        require(open != null && !open.isNegative() && !open.isZero(), breakerPrefix + "open-duration", open,
                "the breaker must stay open for a positive time",
                "Set '" + breakerPrefix + "open-duration' to a duration such as 5s.");
    }

    private static void validateStampede(CacheWarmingProperties.Stampede stampede) {
        String prefix = PREFIX + "stampede.";
        requirePositive(stampede.getWaitTimeout(), prefix + "wait-timeout", "5s");
        requirePositive(stampede.getLeaseTtl(), prefix + "lease-ttl", "10s");
        require(stampede.getOnWaitTimeout() != null, prefix + "on-wait-timeout", null, "a policy is required",
                "Set '" + prefix + "on-wait-timeout' to load, throw or serve-stale.");
    }

    private static void validateRefresh(CacheWarmingProperties.Refresh refresh) {
        String prefix = PREFIX + "refresh.";
        require(refresh.getBeta() >= 0, prefix + "beta", refresh.getBeta(), "beta must not be negative",
                "Set '" + prefix + "beta' to 1 (the default), more to refresh earlier, or 0 to switch XFetch off.");
        require(refresh.getThreshold() >= 0 && refresh.getThreshold() < 1, prefix + "threshold",
                refresh.getThreshold(), "the threshold is a fraction of the TTL, at least 0 and below 1",
                "Set '" + prefix + "threshold' to a fraction such as 0.8, or 0 for none.");
        requirePositive(refresh.getStopAfterIdle(), prefix + "stop-after-idle", "10m");
        requirePositive(refresh.getSweepInterval(), prefix + "sweep-interval", "1s");
        require(refresh.getPoolSize() >= 1, prefix + "pool-size", refresh.getPoolSize(),
                "at least one thread is needed", "Set '" + prefix + "pool-size' to a positive number such as 2.");
        require(refresh.getQueueCapacity() >= 1, prefix + "queue-capacity", refresh.getQueueCapacity(),
                "the queue must hold at least one refresh",
                "Set '" + prefix + "queue-capacity' to a positive number such as 1000.");
        require(refresh.getMaxTrackedKeys() >= 1, prefix + "max-tracked-keys", refresh.getMaxTrackedKeys(),
                "at least one key must be tracked",
                "Set '" + prefix + "max-tracked-keys' to a positive number such as 10000.");
    }

    private static void validateWarmup(CacheWarmingProperties.Warmup warmup) {
        String prefix = PREFIX + "warmup.";
        requirePositive(warmup.getBudget(), prefix + "budget", "30s");
        requirePositive(warmup.getMaxWait(), prefix + "max-wait", "2m");
        requirePositive(warmup.getProgressInterval(), prefix + "progress-interval", "5s");
        requireAtLeast(warmup.getConcurrency(), 1, prefix + "concurrency", "4");
        requireAtLeast(warmup.getBatchSize(), 1, prefix + "batch-size", "100");
        requireAtLeast(warmup.getMaxKeys(), 1, prefix + "max-keys", "10000");
        requireAtLeast(warmup.getRateLimit(), 0, prefix + "rate-limit", "500 (or 0 for no limit)");
        requireAtLeast(warmup.getCacheRateLimit(), 0, prefix + "cache-rate-limit", "200 (or 0 for no limit)");
        require(warmup.getHotKeyAlertRate() >= 0, prefix + "hot-key-alert-rate", warmup.getHotKeyAlertRate(),
                "the rate must not be negative", "Set '" + prefix + "hot-key-alert-rate' to 0 or a rate such as 500.");
        CacheWarmingProperties.Remember remember = warmup.getRemember();
        String rememberPrefix = prefix + "remember.";
        require(remember.getSampleRate() > 0 && remember.getSampleRate() <= 1, rememberPrefix + "sample-rate",
                remember.getSampleRate(), "the sample rate is a fraction above 0 and at most 1",
                "Set '" + rememberPrefix + "sample-rate' to a fraction such as 0.1, or set '" + rememberPrefix
                        + "enabled' to false.");
        require(remember.getDecay() > 0 && remember.getDecay() <= 1, rememberPrefix + "decay", remember.getDecay(),
                "the decay is a fraction above 0 and at most 1", "Set '" + rememberPrefix + "decay' to e.g. 0.5.");
        requireAtLeast(remember.getCapacity(), 1, rememberPrefix + "capacity", "1000");
        requirePositive(remember.getPersistInterval(), rememberPrefix + "persist-interval", "1m");
        requirePositive(warmup.getShadow().getWindow(), prefix + "shadow.window", "30s");
        require(warmup.getShadow().getMaxLength() >= 1, prefix + "shadow.max-length", warmup.getShadow().getMaxLength(),
                "the stream must keep at least one entry", "Set '" + prefix + "shadow.max-length' to e.g. 10000.");
        warmup.getAccessLogs().forEach((cache, log) -> {
            String logPrefix = prefix + "access-logs." + cache + ".";
            require(log.getPath() != null, logPrefix + "path", null, "the log file is required",
                    "Set '" + logPrefix + "path' to the access log to replay.");
            String pattern = log.getPattern();
            boolean valid;
            try {
                valid = pattern != null && java.util.regex.Pattern.compile(pattern).matcher("").groupCount() >= 1;
            }
            catch (java.util.regex.PatternSyntaxException ex) {
                valid = false;
            }
            require(valid, logPrefix + "pattern", pattern, "a regular expression with a capturing group is required",
                    "Set '" + logPrefix + "pattern' to e.g. 'GET /products/(\\d+)': its first group is the argument.");
            require(log.getSampleRate() > 0 && log.getSampleRate() <= 1, logPrefix + "sample-rate",
                    log.getSampleRate(), "the sample rate is a fraction above 0 and at most 1",
                    "Set '" + logPrefix + "sample-rate' to e.g. 1.0.");
        });
    }

    private static void requireAtLeast(int value, int least, String property, String example) {
        require(value >= least, property, value, "the value must be at least " + least,
                "Set '" + property + "' to a number such as " + example + ".");
    }

    private static void requirePositive(Duration value, String property, String example) {
        require(value != null && !value.isNegative() && !value.isZero(), property, value,
                "the duration must be positive", "Set '" + property + "' to a positive duration such as " + example
                        + ".");
    }

    private static String property(String base, boolean own, String name) {
        return own ? base + name : PREFIX + "defaults." + name;
    }

    private static <T> T pick(T own, T fallback) {
        return (own != null) ? own : fallback;
    }

    private static void require(boolean valid, String property, Object value, String reason, String action) {
        if (!valid) {
            fail(property, value, reason, action);
        }
    }

    private static void fail(String property, Object value, String reason, String action) {
        throw new InvalidCacheWarmingPropertyException(property, value, reason, action);
    }
}
