package dev.cachewarming.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's results and makes sure that, on a miss, only one caller loads a key: in this JVM (the others
 * wait for its value, or its exception) and across every instance sharing Redis (a per-key lease: one instance
 * loads, the others wait for the value to appear in Redis).
 *
 * <pre>{@code
 * public interface ProductRepository extends JpaRepository<Product, Long> {
 *
 *     @StampedeProtected(cacheName = "products")
 *     Optional<Product> findById(Long id);
 * }
 * }</pre>
 *
 * <p>When the cache keeps expired values ({@code cache-warming.caches.<name>.stale-ttl}), callers that find one
 * get it at once while one caller reloads (stale-while-revalidate), unless {@link #serveStale()} is false.
 * A load that throws reaches every caller waiting for it in this JVM; nothing is cached and the next call loads
 * again. Waits are bounded by {@code cache-warming.stampede.wait-timeout}; what happens then is
 * {@code cache-warming.stampede.on-wait-timeout}.
 *
 * <p>With {@code cached = false} the method is not cached at all: concurrent identical calls in this JVM are
 * coalesced into one.
 *
 * <p>Works on methods of Spring beans, including methods declared on interfaces and on Spring Data repository
 * interfaces. Combines with {@link RefreshAhead} on the same method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StampedeProtected {

    /**
     * @return the cache name; defaults to {@code SimpleClassName.methodName}. Settings come from
     * {@code cache-warming.caches.<name>.*}
     */
    String cacheName() default "";

    /**
     * @return a SpEL expression for the key, over the arguments by name ({@code #id}) or position ({@code #p0},
     * {@code #a0}), e.g. {@code #p0.sku}; defaults to the argument (one) or the ordered arguments (several)
     */
    String key() default "";

    /** @return whether results are cached; false only coalesces concurrent identical calls in this JVM */
    boolean cached() default true;

    /** @return whether a stale value, where the cache keeps one, is served while the key reloads */
    boolean serveStale() default true;
}
