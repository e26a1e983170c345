package dev.cachewarming.cache;

/**
 * One cached value with the timing facts that refresh-ahead and stampede protection decide on.
 *
 * <p>An entry is <em>fresh</em> until {@code expiresAt}; after that it may still be held for a while as a
 * <em>stale</em> entry (see {@link CacheSettings#staleTtl()}), to be served only where stale reads are allowed.
 * A {@code null} value (or an empty {@code Optional}) is an <em>absent</em> result that was cached on purpose.
 *
 * @param value the cached value, {@code null} for an absent result
 * @param writtenAt when the value was written, epoch milliseconds
 * @param expiresAt until when the value is fresh, epoch milliseconds (exclusive)
 * @param loadNanos how long loading the value took, in nanoseconds ({@code 0} if unknown)
 */
public record CacheEntry(Object value, long writtenAt, long expiresAt, long loadNanos) {

    /**
     * @param nowMillis the current time, epoch milliseconds
     * @return whether the entry is still fresh at {@code nowMillis}
     */
    public boolean isFreshAt(long nowMillis) {
        return nowMillis < this.expiresAt;
    }

    /** @return whether this entry holds an absent result ({@code null} or an empty {@code Optional}) */
    public boolean isAbsent() {
        return isAbsentValue(this.value);
    }

    /**
     * @param value a loaded value
     * @return whether the value counts as absent: {@code null} or an empty {@code Optional}
     */
    public static boolean isAbsentValue(Object value) {
        return value == null || (value instanceof java.util.Optional<?> optional && optional.isEmpty());
    }
}
