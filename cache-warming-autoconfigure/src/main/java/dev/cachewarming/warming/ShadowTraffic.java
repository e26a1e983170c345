package dev.cachewarming.warming;

import java.time.Duration;
import java.util.List;

/**
 * Live sampled keys shared between instances ("shadow traffic"): each instance publishes what it is asked now; a
 * warming instance reads what its peers were asked over the last window, so it warms today's hot keys even if
 * they differ from what was remembered.
 *
 * <p>A port of the shared tier (see {@code cache.SecondLevel}), implemented by
 * {@code dev.cachewarming.redis.RedisShadowTraffic} (a stream per cache, trimmed to a maximum length). Memcached
 * has no ordered, appendable structure: with Memcached alone there is no shadow traffic, which
 * {@code /actuator/warming} and a startup warning say.
 *
 * <p>What every implementation guarantees: publishing never blocks a caller for longer than the store's command
 * timeout, and a failed publish is dropped (it is a sample); {@link #recent} returns only calls published within
 * the window, most frequent first, at most {@code limit}. Either method may throw a {@code cache.SharedTierException};
 * the caller logs it and carries on. Thread-safe.
 */
public interface ShadowTraffic {

    /**
     * @param cache the cache name
     * @param encodedCalls encoded arguments of calls sampled just now
     */
    void publish(String cache, List<String> encodedCalls);

    /**
     * @param cache the cache name
     * @param window how far back to read
     * @param limit the most distinct calls
     * @return encoded arguments of the calls seen in the window, most frequent first
     */
    List<String> recent(String cache, Duration window, int limit);
}
