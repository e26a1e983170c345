package dev.cachewarming.observation;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;

/**
 * What a {@code cache.warming.batch} observation sees: one batch of one cache's keys in a warm-up, with how many
 * of them were found in Redis, loaded, failed or skipped.
 */
public final class WarmupBatchContext extends Observation.Context {

    /** How a batch ended. */
    public enum Result {

        /** Every key was found in Redis or loaded. */
        SUCCESS("success"),

        /** Some keys were warmed, others failed or were skipped (budget, rate limit). */
        PARTIAL("partial"),

        /** No key was warmed and some failed; the error of a failed batch load is recorded. */
        FAILURE("failure"),

        /** No key was warmed: the budget ran out before the batch (or its loads) could start. */
        SKIPPED("skipped");

        private final String value;

        Result(String value) {
            this.value = value;
        }

        /** @return the key value, e.g. {@code partial} */
        public String value() {
            return this.value;
        }
    }

    private final String cacheName;

    private final String loadMode;

    private final String tier;

    private final int size;

    private final AtomicInteger fromL2 = new AtomicInteger();

    private final AtomicInteger loaded = new AtomicInteger();

    private final AtomicInteger failed = new AtomicInteger();

    private final AtomicInteger skipped = new AtomicInteger();

    /**
     * @param cacheName the cache
     * @param loadMode how missing keys are loaded, e.g. {@code find-all-by-id}
     * @param tier the cache's warm-up tier, lower case
     * @param size the keys in the batch
     */
    public WarmupBatchContext(String cacheName, String loadMode, String tier, int size) {
        this.cacheName = cacheName;
        this.loadMode = loadMode;
        this.tier = tier;
        this.size = size;
    }

    /** @return the cache name */
    public String getCacheName() {
        return this.cacheName;
    }

    /** @return how missing keys are loaded */
    public String getLoadMode() {
        return this.loadMode;
    }

    /** @return the warm-up tier, lower case */
    public String getTier() {
        return this.tier;
    }

    /** @return the keys in the batch */
    public int getSize() {
        return this.size;
    }

    /** @return keys found in Redis */
    public int getFromL2() {
        return this.fromL2.get();
    }

    /** @return keys loaded and stored */
    public int getLoaded() {
        return this.loaded.get();
    }

    /** @return keys whose load or store failed */
    public int getFailed() {
        return this.failed.get();
    }

    /** @return keys not loaded (budget, rate limit, stop) */
    public int getSkipped() {
        return this.skipped.get();
    }

    /** @param count keys found in Redis */
    public void addFromL2(int count) {
        this.fromL2.addAndGet(count);
    }

    /** @param count keys loaded and stored */
    public void addLoaded(int count) {
        this.loaded.addAndGet(count);
    }

    /** @param count keys whose load or store failed */
    public void addFailed(int count) {
        this.failed.addAndGet(count);
    }

    /** @param count keys not loaded */
    public void addSkipped(int count) {
        this.skipped.addAndGet(count);
    }

    /** @return how the batch ended, from its counts */
    public Result getResult() {
        int warmed = getFromL2() + getLoaded();
        if (warmed == this.size) {
            return Result.SUCCESS;
        }
        if (warmed > 0) {
            return Result.PARTIAL;
        }
        return (getFailed() > 0) ? Result.FAILURE : Result.SKIPPED;
    }
}
