package dev.cachewarming.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Writes what a method saved into a cache, in both tiers, once the method has returned normally and, when it runs
 * in a transaction, once that transaction has committed (a rolled-back transaction leaves the cache untouched).
 *
 * <pre>{@code
 * @Transactional
 * @WriteThrough(cacheName = "products", key = "#result.id")
 * public Product save(Product product) {
 *     return repository.save(product);
 * }
 *
 * // every element of a collection result, the key evaluated per element
 * @WriteThrough(cacheName = "products", key = "#element.id")
 * public List<Product> saveAll(List<Product> products) { ... }
 * }</pre>
 *
 * <p>The cache must be declared by a reading method ({@code @StampedeProtected}, {@code @RefreshAhead},
 * {@code @Warmable}) or have a configured value type; its values are written as that type (a value is wrapped in
 * an {@code Optional} when the cache holds {@code Optional}s). The values of one call are written as one batch:
 * L1, then one Redis round trip that tells the other instances the keys changed. If Redis is down, L1 is written,
 * the failure counted, and the keys replayed (deleted in Redis) when it is back.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WriteThrough {

    /** @return the cache to write, declared by a reading method */
    String cacheName();

    /**
     * @return a SpEL expression giving the key, over the method's parameters ({@code #product}, {@code #p0}) and
     * {@code #result}; an expression that refers to {@code #element} writes every element of the return value (an
     * {@code Iterable} or array), each under its own key
     */
    String key();

    /**
     * @return a SpEL expression giving the value to cache; by default the return value (or, per element, the
     * element)
     */
    String value() default "";
}
