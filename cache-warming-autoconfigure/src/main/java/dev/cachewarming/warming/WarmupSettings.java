package dev.cachewarming.warming;

import java.time.Duration;

/**
 * How warm-ups run.
 *
 * @param budget the time the whole warm-up may take
 * @param maxWait how long the {@code REQUIRED} tier may hold readiness, past the budget
 * @param failOnRequiredTimeout whether a {@code REQUIRED} tier that misses {@code maxWait} marks the instance
 * broken (liveness) instead of only keeping it not ready
 * @param concurrency the most loads (batch calls, or single calls key by key) running at once, per cache
 * @param adaptiveConcurrency whether the loads at once adapt to the loader's latency (between 1 and
 * {@code concurrency}) instead of staying at {@code concurrency}
 * @param batchSize keys per batch
 * @param rateLimit keys per second across all caches, 0 for no limit
 * @param cacheRateLimit keys per second per cache, 0 for no limit
 * @param maxKeys the most keys warmed per cache
 * @param progressInterval how often progress is logged
 */
public record WarmupSettings(Duration budget, Duration maxWait, boolean failOnRequiredTimeout, int concurrency,
        boolean adaptiveConcurrency, int batchSize, int rateLimit, int cacheRateLimit, int maxKeys, Duration progressInterval) {
}
