package dev.cachewarming.macrobench;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A catalog row as the benchmarks cache it: about 250 bytes of JSON. Mapped for Spring Data JDBC too (the
 * {@code find-all-by-id} warming variant).
 *
 * @param id the primary key
 * @param sku the stock-keeping unit
 * @param name the display name
 * @param description a paragraph of text
 * @param priceCents the price
 * @param stock units in stock
 */
@Table("bench_product")
public record Product(@Id long id, String sku, String name, String description, int priceCents, int stock) {
}
