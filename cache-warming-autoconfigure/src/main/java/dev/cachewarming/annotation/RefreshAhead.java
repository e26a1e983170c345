package dev.cachewarming.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's results and reloads hot entries in the background before they expire, so callers keep
 * getting hits.
 *
 * <pre>{@code
 * @RefreshAhead(cacheName = "prices", threshold = 0.8)
 * public Price priceOf(String sku) { ... }
 * }</pre>
 *
 * <p>On a hit the entry is refreshed early with probability growing as it nears expiry (XFetch: refresh when
 * {@code now - loadTime * beta * ln(random) >= expiresAt}), or always once {@code threshold} of its TTL has passed.
 * Keys read within {@code cache-warming.refresh.stop-after-idle} are also refreshed by a background sweep shortly
 * before they expire. The caller always gets the current value at once; refreshes run on a bounded executor,
 * one per key, and across instances under the key's lease. A failed refresh keeps the current value until it
 * expires.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RefreshAhead {

    /** @return the cache name; defaults to {@code SimpleClassName.methodName} */
    String cacheName() default "";

    /** @return a SpEL expression for the key; see {@link StampedeProtected#key()} */
    String key() default "";

    /**
     * @return the XFetch weight: above 1 refreshes earlier, below 1 later, 0 switches XFetch off; negative
     * (the default) uses {@code cache-warming.refresh.beta}
     */
    double beta() default -1;

    /**
     * @return the fraction of the TTL after which a hit always refreshes (e.g. 0.8), 0 for none; negative (the
     * default) uses {@code cache-warming.refresh.threshold}
     */
    double threshold() default -1;
}
