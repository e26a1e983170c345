package dev.cachewarming.sample.catalog;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.annotation.WarmupTier;
import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.warming.CacheWarming;

/**
 * Reads products through the two-level cache {@code products}: one load per key on a miss across all instances,
 * and hot products reloaded in the background before they expire.
 */
@Service
public class CatalogService {

    private final ProductRepository repository;

    private final JdbcTemplate jdbc;

    private final CacheWarming cacheWarming;

    private final LongAdder databaseReads = new LongAdder();

    private final java.util.Map<Long, LongAdder> databaseReadsById = new java.util.concurrent.ConcurrentHashMap<>();

    CatalogService(ProductRepository repository, JdbcTemplate jdbc, CacheWarming cacheWarming,
            MeterRegistry meters) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.cacheWarming = cacheWarming;
        FunctionCounter.builder("sample.db.queries", this.databaseReads, LongAdder::sum)
            .description("Product reads that reached the database")
            .register(meters);
    }

    /**
     * Changes a price in the database and returns the fresh product, which {@code @WriteThrough} writes to the
     * cache once the transaction has committed (never a price that was rolled back): every instance serves the new
     * price without a miss.
     * @param id the product
     * @param priceCents the new price
     * @return the fresh product, or {@code null} if there is none (then nothing is written)
     */
    @Transactional
    @WriteThrough(cacheName = "products", key = "#result?.id")
    public ProductView updatePrice(long id, long priceCents) {
        int updated = this.jdbc.update("update product set price_cents = ? where id = ?", priceCents, id);
        if (updated == 0) {
            return null;
        }
        // Read in the same transaction: the row as this update left it.
        return this.repository.findById(id).map(ProductView::of).orElse(null);
    }

    /**
     * Loads a product again and writes it to the cache on every instance ({@link CacheWarming#repopulate}): for a
     * change made outside this application, such as a bulk import.
     * @param id the product
     * @return the fresh product, or {@code null} if there is none
     */
    public ProductView refreshProduct(long id) {
        return (ProductView) this.cacheWarming.repopulate("products", id);
    }

    /**
     * @param id a product id
     * @return the product, or {@code null} if there is none (cached as an absent result)
     */
    @Warmable(cacheName = "products", tier = WarmupTier.REQUIRED, keys = "@catalogService.bestSellerIds()")
    @StampedeProtected(cacheName = "products")
    @RefreshAhead(cacheName = "products")
    public ProductView findProduct(long id) {
        this.databaseReads.increment();
        this.databaseReadsById.computeIfAbsent(id, (key) -> new LongAdder()).increment();
        return this.repository.findById(id).map(ProductView::of).orElse(null);
    }

    /**
     * The declared warm-up source: products expected to be hot (here the first 2,000; a real shop would ask its
     * sales statistics).
     * @return product ids
     */
    public java.util.List<Long> bestSellerIds() {
        return java.util.stream.LongStream.rangeClosed(1, 2000).boxed().toList();
    }

    /**
     * @param id a product
     * @return how many times the database was asked for that product
     */
    public long databaseReadsOf(long id) {
        LongAdder reads = this.databaseReadsById.get(id);
        return (reads != null) ? reads.sum() : 0;
    }

    /** @return how many times the database was asked for a product */
    public long databaseReads() {
        return this.databaseReads.sum();
    }
}
