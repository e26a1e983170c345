package dev.cachewarming.sample.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A product row. Cached as a {@link ProductView}, never as the entity itself. */
@Entity
@Table(name = "product")
public class Product {

    @Id
    private Long id;

    private String sku;

    private String name;

    private String category;

    private long priceCents;

    private int stock;

    protected Product() {
    }

    public Long getId() {
        return this.id;
    }

    public String getSku() {
        return this.sku;
    }

    public String getName() {
        return this.name;
    }

    public String getCategory() {
        return this.category;
    }

    public long getPriceCents() {
        return this.priceCents;
    }

    public int getStock() {
        return this.stock;
    }
}
