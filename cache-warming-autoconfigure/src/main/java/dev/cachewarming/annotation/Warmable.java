package dev.cachewarming.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's results and loads its hot keys before the instance takes traffic.
 *
 * <pre>{@code
 * public interface ProductRepository extends JpaRepository<Product, Long> {
 *
 *     @Override
 *     @Warmable(cacheName = "products", tier = WarmupTier.REQUIRED, batchMethod = "findAllById", batchKey = "id",
 *             keys = "@catalogStats.bestSellerIds(500)")
 *     @StampedeProtected(cacheName = "products")
 *     Optional<Product> findById(Long id);
 * }
 * }</pre>
 *
 * <p>Keys come from the traffic this method saw before (sampled calls, remembered across restarts: in Redis when
 * it is configured, aggregated over every instance, otherwise in a local file), then from {@link #keys()}. A key
 * already in Redis is copied from there (pipelined); the others are loaded through the method, or in batches
 * through {@link #batchMethod()}. Warming runs in the background after startup, tier by tier, in parallel,
 * rate-limited and within {@code cache-warming.warmup.budget}; readiness is held until it ends.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Warmable {

    /** @return the cache name; defaults to {@code SimpleClassName.methodName} */
    String cacheName() default "";

    /** @return a SpEL expression for the key; see {@link StampedeProtected#key()} */
    String key() default "";

    /** @return the priority tier of this method's warm-up */
    WarmupTier tier() default WarmupTier.HIGH;

    /**
     * @return a SpEL expression giving more arguments to warm (predictive warming), evaluated once per warm-up,
     * with beans as {@code @beanName}: an {@code Iterable}, array or {@code Stream} of arguments (of argument
     * arrays or lists for methods with several parameters), e.g. {@code @catalogStats.bestSellerIds(500)}
     */
    String keys() default "";

    /**
     * @return the name of a method of the same bean that loads many keys at once, taking a {@code Collection}
     * (or {@code Iterable}) of arguments and returning a {@code Map} from argument to value or an
     * {@code Iterable} of values (see {@link #batchKey()}), e.g. {@code findAllById}; only for methods with one
     * parameter
     */
    String batchMethod() default "";

    /**
     * @return with a {@link #batchMethod()} that returns values, a SpEL expression evaluated on each value that
     * gives the argument it answers, e.g. {@code id}; arguments with no value are cached as absent results
     */
    String batchKey() default "";

    /** @return keys per batch; 0 uses {@code cache-warming.warmup.batch-size} */
    int batchSize() default 0;

    /** @return whether calls are sampled and remembered, to warm the same keys on the next start */
    boolean remember() default true;

    /** @return a cron expression to re-warm this cache on a schedule, e.g. {@code 0 0 * * * *}; none by default */
    String cron() default "";
}
