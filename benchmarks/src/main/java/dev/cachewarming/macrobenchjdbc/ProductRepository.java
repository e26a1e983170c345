package dev.cachewarming.macrobenchjdbc;

import java.util.Optional;

import org.springframework.data.repository.ListCrudRepository;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.macrobench.Product;

/**
 * A Spring Data JDBC repository whose {@code findById} is warmed with no batch method declared: the starter warms
 * it through {@code findAllById} on its own. Outside the {@code macrobench} package, so that only the
 * {@code find-all-by-id} variant (which enables it explicitly) creates it.
 */
public interface ProductRepository extends ListCrudRepository<Product, Long> {

    @Override
    @Warmable(cacheName = "products", keys = "@productIds.all()", remember = false)
    @StampedeProtected(cacheName = "products")
    Optional<Product> findById(Long id);
}
