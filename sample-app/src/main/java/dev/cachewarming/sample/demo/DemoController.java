package dev.cachewarming.sample.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.sample.catalog.CatalogService;
import dev.cachewarming.sample.catalog.ProductView;

/**
 * The dashboard's buttons: traffic on and off, a price update (written through to the cache after its commit), and
 * a forced stampede; and a refresh of one product from the database ({@code CacheWarming.repopulate}).
 */
@RestController
@RequestMapping("/api")
class DemoController {

    private final TrafficGenerator traffic;

    private final CatalogService catalog;

    private final TieredCacheRegistry caches;

    DemoController(TrafficGenerator traffic, CatalogService catalog, TieredCacheRegistry caches) {
        this.traffic = traffic;
        this.catalog = catalog;
        this.caches = caches;
    }

    @GetMapping("/traffic")
    Map<String, Object> traffic() {
        return Map.of("running", this.traffic.isRunning(), "requests", this.traffic.requests());
    }

    @PostMapping("/traffic/start")
    Map<String, Object> startTraffic() {
        this.traffic.start();
        return traffic();
    }

    @PostMapping("/traffic/stop")
    Map<String, Object> stopTraffic() {
        this.traffic.stop();
        return traffic();
    }

    @PostMapping("/products/{id}/price")
    ResponseEntity<ProductView> updatePrice(@PathVariable long id, @RequestParam long cents) {
        ProductView updated = this.catalog.updatePrice(id, cents);
        return (updated != null) ? ResponseEntity.ok(updated) : ResponseEntity.notFound().build();
    }

    @PostMapping("/products/{id}/refresh")
    ResponseEntity<ProductView> refresh(@PathVariable long id) {
        ProductView fresh = this.catalog.refreshProduct(id);
        return (fresh != null) ? ResponseEntity.ok(fresh) : ResponseEntity.notFound().build();
    }

    /**
     * Expires a product's cached value everywhere, then sends {@code callers} concurrent reads of it: with stampede
     * protection the database sees one load.
     */
    @PostMapping("/stampede/{id}")
    Map<String, Object> stampede(@PathVariable long id, @RequestParam(defaultValue = "200") int callers)
            throws Exception {
        dev.cachewarming.cache.TieredCache cache = this.caches.find("products");
        cache.evict(id);
        // Only this product's loads: warm-ups or traffic may load other products meanwhile.
        long before = this.catalog.databaseReadsOf(id);
        long coalescedBefore = cache.coalescedLoads();
        long errorsBefore = cache.stats().l2Errors();
        long leasesBefore = cache.stats().leasesAcquired();
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(callers, 200));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ProductView>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return this.catalog.findProduct(id);
                }));
            }
            start.countDown();
            for (Future<ProductView> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
        return Map.of("product", id, "callers", callers, "databaseLoads", this.catalog.databaseReadsOf(id) - before,
                "coalesced", cache.coalescedLoads() - coalescedBefore, "leasesAcquired",
                cache.stats().leasesAcquired() - leasesBefore, "redisErrors", cache.stats().l2Errors() - errorsBefore);
    }
}
