package dev.cachewarming.sample.catalog;

import org.springframework.data.jpa.repository.JpaRepository;

/** Products, from H2 by default or PostgreSQL with the {@code postgres} profile. */
public interface ProductRepository extends JpaRepository<Product, Long> {
}
