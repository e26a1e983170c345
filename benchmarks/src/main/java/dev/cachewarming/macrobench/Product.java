package dev.cachewarming.macrobench;

/**
 * A catalog row as the benchmarks cache it: about 250 bytes of JSON.
 *
 * @param id the primary key
 * @param sku the stock-keeping unit
 * @param name the display name
 * @param description a paragraph of text
 * @param priceCents the price
 * @param stock units in stock
 */
public record Product(long id, String sku, String name, String description, int priceCents, int stock) {
}
