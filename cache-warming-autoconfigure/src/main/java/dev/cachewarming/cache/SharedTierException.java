package dev.cachewarming.cache;

/**
 * A call to the shared tier (L2) failed, timed out, or was not sent because the store is known to be down (circuit
 * breaker open). Each adapter throws its own subclass ({@code RedisTierException}, {@code MemcachedTierException});
 * the core only needs this type.
 *
 * <p>Never fatal to a cache call: {@link TieredCache} counts it ({@code cache.tiered.l2.errors{kind=command}}) and
 * carries on with the in-process tier and the loader. Whoever calls an adapter directly (warm-up, key dump) should
 * treat it the same way: report, then continue without the shared tier.
 */
public class SharedTierException extends RuntimeException {

    /**
     * @param message what failed, naming the store
     * @param cause the client's exception, if any
     */
    public SharedTierException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For a failure raised often and without a cause (a call refused while the breaker is open): no stack trace,
     * no suppression, so a shared instance costs nothing to throw.
     * @param message what failed, naming the store
     * @param cause the client's exception, if any
     * @param enableSuppression whether suppressed exceptions are recorded
     * @param writableStackTrace whether the stack trace is filled in
     */
    protected SharedTierException(String message, Throwable cause, boolean enableSuppression,
            boolean writableStackTrace) {
        super(message, cause, enableSuppression, writableStackTrace);
    }
}
