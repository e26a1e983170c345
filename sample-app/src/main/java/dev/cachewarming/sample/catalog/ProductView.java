package dev.cachewarming.sample.catalog;

/**
 * What the catalog serves and caches for one product.
 *
 * @param id the product id
 * @param sku the stock-keeping unit
 * @param name the display name
 * @param category the category
 * @param priceCents the price in cents
 * @param stock units in stock
 */
public record ProductView(long id, String sku, String name, String category, long priceCents, int stock) {

    public static ProductView of(Product product) {
        return new ProductView(product.getId(), product.getSku(), product.getName(), product.getCategory(),
                product.getPriceCents(), product.getStock());
    }
}
