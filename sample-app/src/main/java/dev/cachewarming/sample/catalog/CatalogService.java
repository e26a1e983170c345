package dev.cachewarming.sample.catalog;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Service;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.annotation.WarmupTier;

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
    @Warmable(cacheName = "products", tier = WarmupTier.REQUIRED, keys = "@catalogService.bestSellerIds()")
    @StampedeProtected(cacheName = "products")
    @RefreshAhead(cacheName = "products")
    public ProductView findProduct(long id) {
        this.databaseReads.increment();
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

    /** @return how many times the database was asked for a product */
    public long databaseReads() {
        return this.databaseReads.sum();
    }
}
