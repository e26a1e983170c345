package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the values of {@link CacheWarmingProperties} outside the per-cache settings (those are resolved and
 * checked by {@link PropertiesCacheSettings}). Runs as soon as the properties are bound, before any bean reads them:
 * the executors, rate limiters and circuit breaker built from them would otherwise reject a bad value first, with
 * their own message (a thread pool of 0 threads throws {@code IllegalArgumentException} with none at all).
 *
 * <p>Every failure is an {@link InvalidCacheWarmingPropertyException} naming the property and the fix.
 */
final class CacheWarmingPropertiesValidation {

    private static final String PREFIX = "cache-warming.";

    private CacheWarmingPropertiesValidation() {
    }

    /**
     * @param properties the bound properties
     * @throws InvalidCacheWarmingPropertyException for the first value that cannot work
     */
    static void validate(CacheWarmingProperties properties) {
        validateRedis(properties.getRedis());
        validateStampede(properties.getStampede());
        validateRefresh(properties.getRefresh());
        validateWarmup(properties.getWarmup());
    }

    private static void validateRedis(CacheWarmingProperties.Redis redis) {
        String redisPrefix = PREFIX + "redis.";
        require(redis.getKeyPrefix() != null && !redis.getKeyPrefix().isBlank()
                && redis.getKeyPrefix().chars().noneMatch(Character::isWhitespace), redisPrefix + "key-prefix",
                redis.getKeyPrefix(), "the key prefix must be a non-empty word without spaces",
                "Set '" + redisPrefix + "key-prefix' to a short name such as 'cache-warming' or your application's.");
        requirePositive(redis.getCommandTimeout(), redisPrefix + "command-timeout", "250ms");
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
        requirePositive(breaker.getOpenDuration(), breakerPrefix + "open-duration", "5s");
        require(breaker.getFastOpenFailures() >= 1, breakerPrefix + "fast-open-failures",
                breaker.getFastOpenFailures(), "at least one failure must open the breaker",
                "Set '" + breakerPrefix + "fast-open-failures' to a positive number such as 3.");
        requirePositive(breaker.getFastOpenWindow(), breakerPrefix + "fast-open-window", "1s");
        requirePositive(breaker.getSlowCallDuration(), breakerPrefix + "slow-call-duration", "100ms");
        require(breaker.getSlowCallRateThreshold() > 0 && breaker.getSlowCallRateThreshold() <= 100,
                breakerPrefix + "slow-call-rate-threshold", breaker.getSlowCallRateThreshold(),
                "the threshold is a percentage above 0 and at most 100",
                "Set '" + breakerPrefix + "slow-call-rate-threshold' to a percentage such as 50, or 100 to open only "
                        + "when every call is slow.");
        requirePositive(breaker.getProbeInterval(), breakerPrefix + "probe-interval", "250ms");
        CacheWarmingProperties.AdaptiveTimeout adaptive = redis.getAdaptiveTimeout();
        String adaptivePrefix = redisPrefix + "adaptive-timeout.";
        require(adaptive.getMultiplier() >= 1, adaptivePrefix + "multiplier", adaptive.getMultiplier(),
                "a command must be given at least the p99 latency Redis has shown",
                "Set '" + adaptivePrefix + "multiplier' to 1 or more, such as 4.");
        requirePositive(adaptive.getFloor(), adaptivePrefix + "floor", "20ms");
        requirePositive(redis.getMaxReconnectDelay(), redisPrefix + "max-reconnect-delay", "500ms");
        CacheWarmingProperties.Cluster cluster = redis.getCluster();
        requirePositive(cluster.getRefreshPeriod(), redisPrefix + "cluster.refresh-period", "30s");
        requirePositive(cluster.getAdaptiveRefreshTimeout(), redisPrefix + "cluster.adaptive-refresh-timeout", "1s");
    }

    private static void validateStampede(CacheWarmingProperties.Stampede stampede) {
        String prefix = PREFIX + "stampede.";
        requirePositive(stampede.getWaitTimeout(), prefix + "wait-timeout", "5s");
        requirePositive(stampede.getLeaseTtl(), prefix + "lease-ttl", "10s");
        requirePositive(stampede.getRecheckInterval(), prefix + "recheck-interval", "50ms");
        requirePositive(stampede.getMaxRecheckInterval(), prefix + "max-recheck-interval", "1s");
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
    }

    private static void validateWarmup(CacheWarmingProperties.Warmup warmup) {
        String prefix = PREFIX + "warmup.";
        requirePositive(warmup.getBudget(), prefix + "budget", "30s");
        requirePositive(warmup.getMaxWait(), prefix + "max-wait", "2m");
        requirePositive(warmup.getProgressInterval(), prefix + "progress-interval", "5s");
        requireAtLeast(warmup.getConcurrency(), 1, prefix + "concurrency", "8");
        requireAtLeast(warmup.getBatchSize(), 1, prefix + "batch-size", "1000");
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
                valid = pattern != null && Pattern.compile(pattern).matcher("").groupCount() >= 1;
            }
            catch (PatternSyntaxException ex) {
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

    /**
     * Durations that must be positive are also used as millisecond periods (scheduler delays, Redis PX
     * arguments, Resilience4j's open state), where anything below 1ms truncates to 0 and is rejected later.
     */
    private static void requirePositive(Duration value, String property, String example) {
        require(value != null && value.compareTo(Duration.ofMillis(1)) >= 0, property, value,
                "the duration must be at least 1ms", "Set '" + property + "' to a positive duration such as "
                        + example + ".");
    }

    static void require(boolean valid, String property, Object value, String reason, String action) {
        if (!valid) {
            fail(property, value, reason, action);
        }
    }

    static void fail(String property, Object value, String reason, String action) {
        throw new InvalidCacheWarmingPropertyException(property, value, reason, action);
    }
}
