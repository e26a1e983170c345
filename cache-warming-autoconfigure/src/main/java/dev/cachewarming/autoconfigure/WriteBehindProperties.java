package dev.cachewarming.autoconfigure;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Write-behind ({@code @WriteBehind}): how the durable Redis Stream of each cache is flushed to its writer, under
 * {@code cache-warming.write-behind.*}. Checked once bound: a value it cannot run with fails startup naming the
 * property.
 */
@ConfigurationProperties("cache-warming.write-behind")
public class WriteBehindProperties implements InitializingBean {

    /**
     * Most entries read from the stream per batch (before coalescing writes of one key).
     */
    private int batchSize = 100;

    /**
     * Pause between reads when the stream has nothing new.
     */
    private Duration pollInterval = Duration.ofMillis(100);

    /**
     * Attempts to write a batch before its entries are moved to the dead-letter stream.
     */
    private int maxAttempts = 5;

    /**
     * Wait after a batch's first failed attempt; doubled after each further failure, up to max-backoff.
     */
    private Duration initialBackoff = Duration.ofMillis(200);

    /**
     * Longest wait between two attempts of a batch.
     */
    private Duration maxBackoff = Duration.ofSeconds(10);

    /**
     * How long an entry read by another instance must stay unacknowledged before this one takes it over
     * (XAUTOCLAIM): longer than the slowest batch write, or a slow instance's batch is written twice.
     */
    private Duration claimMinIdle = Duration.ofSeconds(30);

    /**
     * How long closing the application waits for the batch being written; what is not written stays in the stream
     * for another instance (or the next start).
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    @Override
    public void afterPropertiesSet() {
        String prefix = "cache-warming.write-behind.";
        if (this.batchSize < 1) {
            throw new InvalidCacheWarmingPropertyException(prefix + "batch-size", this.batchSize,
                    "must be at least 1", "Set a batch size such as 100.");
        }
        if (this.maxAttempts < 1) {
            throw new InvalidCacheWarmingPropertyException(prefix + "max-attempts", this.maxAttempts,
                    "must be at least 1", "Set the attempts before dead-lettering, such as 5.");
        }
        positive(prefix + "poll-interval", this.pollInterval);
        positive(prefix + "initial-backoff", this.initialBackoff);
        positive(prefix + "claim-min-idle", this.claimMinIdle);
        if (this.maxBackoff.compareTo(this.initialBackoff) < 0) {
            throw new InvalidCacheWarmingPropertyException(prefix + "max-backoff", this.maxBackoff,
                    "is shorter than initial-backoff (" + this.initialBackoff + ")",
                    "Set max-backoff to at least initial-backoff.");
        }
        if (this.shutdownTimeout.isNegative()) {
            throw new InvalidCacheWarmingPropertyException(prefix + "shutdown-timeout", this.shutdownTimeout,
                    "is negative", "Set 0 to stop at once, or a duration such as 10s.");
        }
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidCacheWarmingPropertyException(property, value, "must be positive",
                    "Set a positive duration such as 100ms.");
        }
    }

    public int getBatchSize() {
        return this.batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return this.pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getMaxAttempts() {
        return this.maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
        return this.initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
        return this.maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getClaimMinIdle() {
        return this.claimMinIdle;
    }

    public void setClaimMinIdle(Duration claimMinIdle) {
        this.claimMinIdle = claimMinIdle;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }
}
