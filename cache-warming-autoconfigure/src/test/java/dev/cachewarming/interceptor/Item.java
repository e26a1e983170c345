package dev.cachewarming.interceptor;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Item {

    @Id
    private Long id;

    private String sku;

    private String name;

    protected Item() {
    }

    public Item(Long id, String sku, String name) {
        this.id = id;
        this.sku = sku;
        this.name = name;
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

    public void setId(Long id) {
        this.id = id;
    }

    public void setSku(String sku) {
        this.sku = sku;
    }

    public void setName(String name) {
        this.name = name;
    }
}
