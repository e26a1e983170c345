package dev.cachewarming.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Acknowledges a write before the database has it: when the method returns, its value is in the cache (both tiers)
 * and appended to a durable Redis Stream of the cache; a flusher later hands batches to the {@link #writer()}
 * method, coalescing writes of one key (the last one wins), retrying with backoff and moving a batch that keeps
 * failing to a dead-letter stream.
 *
 * <pre>{@code
 * @WriteBehind(cacheName = "products", key = "#product.id", value = "#product", writer = "saveAll")
 * public void update(Product product) {
 *     // validate; do not write the database here: saveAll does, later and in batches
 * }
 *
 * @Transactional
 * public void saveAll(List<Product> products) {
 *     // idempotent: an entry may be delivered more than once (see the README)
 *     products.forEach(p -> jdbc.update("update product set ... where id = ? and version < ?", ...));
 * }
 * }</pre>
 *
 * <p>The method's body runs first (an exception there queues nothing); if the value cannot be appended to the
 * stream, the method throws and nothing is acknowledged. Needs Redis: without it the application does not start.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WriteBehind {

    /** @return the cache to write, declared by a reading method */
    String cacheName();

    /** @return a SpEL expression giving the key, over the parameters and {@code #result} */
    String key();

    /** @return a SpEL expression giving the value; by default the return value */
    String value() default "";

    /**
     * @return the name of a method of the same bean that writes a batch to the database, taking one
     * {@code List} (or {@code Collection}) of values, e.g. {@code saveAll}; the values are read back from the stream
     * as its declared element type
     */
    String writer();
}
