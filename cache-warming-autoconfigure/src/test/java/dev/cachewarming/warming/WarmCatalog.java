package dev.cachewarming.warming;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.annotation.WarmupTier;

/** Warmable methods over a counting "database". */
public class WarmCatalog {

    public record Price(long id, long cents) {
    }

    private final AtomicInteger productLoads = new AtomicInteger();

    private final AtomicInteger priceLoads = new AtomicInteger();

    private final AtomicInteger batchCalls = new AtomicInteger();

    private final Queue<String> loadOrder = new ConcurrentLinkedQueue<>();

    private volatile long loadMillis;

    private volatile long failingId = -1;

    private volatile boolean failingBatches;

    public int productLoads() {
        return this.productLoads.get();
    }

    public int priceLoads() {
        return this.priceLoads.get();
    }

    public int batchCalls() {
        return this.batchCalls.get();
    }

    public List<String> loadOrder() {
        return new ArrayList<>(this.loadOrder);
    }

    public void setLoadMillis(long loadMillis) {
        this.loadMillis = loadMillis;
    }

    public void setFailingId(long failingId) {
        this.failingId = failingId;
    }

    public void setFailingBatches(boolean failingBatches) {
        this.failingBatches = failingBatches;
    }

    /** Declared source: the first 20 products. */
    public List<Long> bestSellers() {
        return LongStream.rangeClosed(1, 20).boxed().toList();
    }

    @Warmable(cacheName = "wproducts", tier = WarmupTier.LOW, keys = "@warmCatalog.bestSellers()")
    @StampedeProtected(cacheName = "wproducts")
    public String product(Long id) throws InterruptedException {
        this.productLoads.incrementAndGet();
        this.loadOrder.add("product");
        if (this.loadMillis > 0) {
            // Simulates a slow database query.
            Thread.sleep(this.loadMillis);
        }
        if (id == this.failingId) {
            throw new IllegalStateException("no product " + id);
        }
        return "product-" + id;
    }

    @Warmable(cacheName = "wprices", tier = WarmupTier.REQUIRED, keys = "@warmCatalog.bestSellers()",
            batchMethod = "pricesOf", batchKey = "id()", batchSize = 8)
    public Price price(Long id) {
        this.priceLoads.incrementAndGet();
        this.loadOrder.add("price");
        return new Price(id, id * 100);
    }

    public List<Price> pricesOf(Collection<Long> ids) {
        this.batchCalls.incrementAndGet();
        if (this.failingBatches) {
            throw new IllegalStateException("the price database is down");
        }
        List<Price> prices = new ArrayList<>();
        for (Long id : ids) {
            this.loadOrder.add("price");
            if (id % 10 != 0) {
                prices.add(new Price(id, id * 100));
            }
        }
        return prices;
    }
}
