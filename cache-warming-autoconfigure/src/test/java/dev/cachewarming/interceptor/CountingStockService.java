package dev.cachewarming.interceptor;

import java.util.concurrent.atomic.AtomicInteger;

public class CountingStockService implements StockService {

    private final AtomicInteger loads = new AtomicInteger();

    public int loads() {
        return this.loads.get();
    }

    @Override
    public int stockOf(String sku) {
        this.loads.incrementAndGet();
        return sku.length();
    }
}
