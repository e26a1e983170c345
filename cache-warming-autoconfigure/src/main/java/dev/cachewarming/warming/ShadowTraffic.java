package dev.cachewarming.warming;

import java.time.Duration;
import java.util.List;

/**
 * Live sampled keys shared between instances ("shadow traffic"): each instance publishes what it is asked now; a
 * warming instance reads what its peers were asked over the last window, so it warms today's hot keys even if
 * they differ from what was remembered.
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
