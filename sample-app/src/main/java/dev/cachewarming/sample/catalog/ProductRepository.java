package dev.cachewarming.sample.catalog;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

import dev.cachewarming.annotation.StampedeProtected;

/** Products, from H2 by default or PostgreSQL with the {@code postgres} profile. */
public interface ProductRepository extends JpaRepository<Product, Long> {

    /**
     * @param sku a stock-keeping unit
     * @return the product; cached in {@code productsBySku}, one load per key across all instances
     */
    @StampedeProtected(cacheName = "productsBySku")
    Optional<Product> findBySku(String sku);
}
