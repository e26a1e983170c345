package dev.cachewarming.warming;

import java.time.Duration;

/**
 * How warm-ups run.
 *
 * @param budget the time the whole warm-up may take
 * @param maxWait how long the {@code REQUIRED} tier may hold readiness, past the budget
 * @param failOnRequiredTimeout whether a {@code REQUIRED} tier that misses {@code maxWait} marks the instance
 * broken (liveness) instead of only keeping it not ready
 * @param concurrency batches loaded at once
 * @param batchSize keys per batch
 * @param rateLimit keys per second across all caches, 0 for no limit
 * @param cacheRateLimit keys per second per cache, 0 for no limit
 * @param maxKeys the most keys warmed per cache
 * @param progressInterval how often progress is logged
 */
public record WarmupSettings(Duration budget, Duration maxWait, boolean failOnRequiredTimeout, int concurrency,
        int batchSize, int rateLimit, int cacheRateLimit, int maxKeys, Duration progressInterval) {
}
