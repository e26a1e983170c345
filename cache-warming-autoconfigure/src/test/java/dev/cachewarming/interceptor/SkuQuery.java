package dev.cachewarming.interceptor;

public record SkuQuery(String sku, int region) {
}
