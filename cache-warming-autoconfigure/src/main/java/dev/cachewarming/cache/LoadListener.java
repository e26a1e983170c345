package dev.cachewarming.cache;

/**
 * Told how long each loader call of a {@link TieredCache} took, for example to record it in a timer with a
 * histogram (which running totals cannot give).
 *
 * <p>Called on the loading thread, after the loader returned or threw and before the value is stored; only
 * loads call it, never a hit. It must be quick and must not throw (an exception is logged and ignored).
 *
 * <pre>{@code
 * cache.addLoadListener((nanos, succeeded) -> timer.record(nanos, TimeUnit.NANOSECONDS));
 * }</pre>
 */
@FunctionalInterface
public interface LoadListener {

    /**
     * @param nanos how long the loader call took, nanoseconds
     * @param succeeded whether it returned a value ({@code false}: it threw)
     */
    void onLoad(long nanos, boolean succeeded);

    /**
     * @param next the listener to call after this one
     * @return a listener calling this one, then {@code next}
     */
    default LoadListener andThen(LoadListener next) {
        return (nanos, succeeded) -> {
            onLoad(nanos, succeeded);
            next.onLoad(nanos, succeeded);
        };
    }
}
