package dev.cachewarming.interceptor;

import java.util.concurrent.atomic.AtomicInteger;

import dev.cachewarming.annotation.StampedeProtected;

/** A plain class bean with annotated methods. */
public class PriceService {

    private final AtomicInteger loads = new AtomicInteger();

    public int loads() {
        return this.loads.get();
    }

    @StampedeProtected(cacheName = "prices", key = "#p0.sku")
    public Long priceOf(SkuQuery query) {
        this.loads.incrementAndGet();
        return (long) query.sku().length() * 100;
    }

    @StampedeProtected(cacheName = "pricePairs")
    public String pair(String sku, int region) {
        this.loads.incrementAndGet();
        return sku + "@" + region;
    }

    @StampedeProtected(cacheName = "failing")
    public String failing(String sku) throws java.io.IOException {
        this.loads.incrementAndGet();
        throw new java.io.IOException("no price for " + sku);
    }
}
