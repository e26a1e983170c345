package dev.cachewarming.sample.catalog;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Reads products through the two-level cache {@code products}. */
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
    @Cacheable("products")
    public ProductView findProduct(long id) {
        this.databaseReads.increment();
        return this.repository.findById(id).map(ProductView::of).orElse(null);
    }

    /** @return how many times the database was asked for a product */
    public long databaseReads() {
        return this.databaseReads.sum();
    }
}
