package dev.cachewarming.sample.catalog;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Service;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;

/**
 * Reads products through the two-level cache {@code products}: one load per key on a miss across all instances,
 * and hot products reloaded in the background before they expire.
 */
@Service
public class CatalogService {

    private final ProductRepository repository;

    private final LongAdder databaseReads = new LongAdder();

    CatalogService(ProductRepository repository) {
        this.repository = repository;
    }

    /**
     * @param id a product id
     * @return the product, or {@code null} if there is none (cached as an absent result)
     */
    @StampedeProtected(cacheName = "products")
    @RefreshAhead(cacheName = "products")
    public ProductView findProduct(long id) {
        this.databaseReads.increment();
        return this.repository.findById(id).map(ProductView::of).orElse(null);
    }

    /** @return how many times the database was asked for a product */
    public long databaseReads() {
        return this.databaseReads.sum();
    }
}
