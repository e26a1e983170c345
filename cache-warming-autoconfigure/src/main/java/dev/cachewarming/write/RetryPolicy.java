package dev.cachewarming.write;

import java.time.Duration;

/**
 * How often and how patiently a failing batch is retried: exponential backoff from {@code initialBackoff}, doubled
 * per failure up to {@code maxBackoff}, and dead-lettered after {@code maxAttempts} failed attempts.
 *
 * @param maxAttempts attempts before the batch is dead-lettered, at least 1
 * @param initialBackoff the wait after the first failure
 * @param maxBackoff the longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /**
     * @param failures failed attempts so far, at least 1
     * @return how long to wait before the next attempt
     */
    public Duration backoff(int failures) {
        long millis = this.initialBackoff.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, this.maxBackoff.toMillis()));
    }
}
