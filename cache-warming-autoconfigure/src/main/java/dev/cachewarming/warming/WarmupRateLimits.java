package dev.cachewarming.warming;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Keys-per-second limits of warm-up loads, globally and per cache, with Bucket4j token buckets: a batch waits for
 * its tokens, and gives up (its keys skipped) if they do not come before the deadline.
 */
final class WarmupRateLimits {

    private final Bucket global;

    private final int perCache;

    private final Map<String, Bucket> caches = new ConcurrentHashMap<>();

    WarmupRateLimits(int global, int perCache) {
        this.global = (global > 0) ? bucket(global) : null;
        this.perCache = perCache;
    }

    /**
     * @param cache the cache loading
     * @param keys how many keys it is about to load
     * @param deadlineNanos when to give up
     * @return whether the keys may be loaded now
     * @throws InterruptedException if interrupted while waiting
     */
    boolean acquire(String cache, int keys, long deadlineNanos) throws InterruptedException {
        Bucket own = (this.perCache > 0) ? this.caches.computeIfAbsent(cache, (c) -> bucket(this.perCache)) : null;
        return take(own, keys, deadlineNanos) && take(this.global, keys, deadlineNanos);
    }

    private static boolean take(Bucket bucket, int keys, long deadlineNanos) throws InterruptedException {
        if (bucket == null) {
            return true;
        }
        long capacity = bucket.getAvailableTokens() + 1;
        int left = keys;
        while (left > 0) {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0) {
                return false;
            }
            int chunk = (int) Math.min(left, Math.max(1, Math.min(capacity, left)));
            if (!bucket.asBlocking().tryConsume(chunk, Duration.ofNanos(wait))) {
                if (chunk == 1) {
                    return false;
                }
                capacity = 1;
                continue;
            }
            left -= chunk;
        }
        return true;
    }

    private static Bucket bucket(int perSecond) {
        return Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
            .build();
    }
}
