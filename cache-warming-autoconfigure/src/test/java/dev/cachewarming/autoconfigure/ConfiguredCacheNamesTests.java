package dev.cachewarming.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheConfig;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.cache.TieredCacheRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cache-warming.caches.<name>.*} must name a cache the application has: one of an annotated method, one a
 * Spring caching annotation names, or one declared in {@code spring.cache.cache-names}.
 */
class ConfiguredCacheNamesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
        .withBean(Catalog.class)
        .withBean(Orders.class);

    @Test
    void settingsOfAnUnknownCacheFailStartupNamingItAndTheKnownCaches() {
        this.runner.withPropertyValues("cache-warming.caches.nosuchcache.ttl=1m").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidCacheWarmingPropertyFailureAnalyzer()
                .analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo("Property 'cache-warming.caches.nosuchcache.ttl' "
                    + "configures cache 'nosuchcache', which the application does not have; known caches: "
                    + "orders, orders-by-customer, products");
            assertThat(analysis.getAction()).contains("Use the name of a known cache")
                .contains("'spring.cache.cache-names'");
        });
    }

    @Test
    void everyPropertyOfTheUnknownCacheAndEveryOtherUnknownCacheIsNamed() {
        this.runner
            .withPropertyValues("cache-warming.caches.prodcuts.ttl=1m", "cache-warming.caches.prodcuts.jitter=0",
                    "cache-warming.caches.products.ttl=1m", "cache-warming.caches.ordres.l2-enabled=false")
            .run((context) -> {
                InvalidCacheWarmingPropertyException failure = findCause(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo("cache-warming.caches.prodcuts.ttl");
                assertThat(failure.getMessage()).startsWith("Properties 'cache-warming.caches.prodcuts.ttl', "
                        + "'cache-warming.caches.prodcuts.jitter' configure cache 'prodcuts'")
                    .contains("; unknown too: ordres;");
            });
    }

    @Test
    void cacheOfAnAnnotatedMethodTakesItsSettings() {
        this.runner.withPropertyValues("cache-warming.caches.products.ttl=1m").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TieredCacheRegistry.class).find("products").settings().ttl())
                .isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void cachesNamedOnlyBySpringCachingAnnotationsCanBeConfigured() {
        this.runner
            .withPropertyValues("cache-warming.caches.orders.ttl=1m",
                    "cache-warming.caches.orders-by-customer.ttl=2m")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void cacheCreatedOnlyAtRunTimeIsDeclaredInSpringCacheNames() {
        this.runner
            .withPropertyValues("spring.cache.cache-names=tenant-a,tenant-b", "cache-warming.caches.tenant-b.ttl=1m")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(TieredCacheRegistry.class).cache("tenant-b").settings().ttl())
                    .isEqualTo(Duration.ofMinutes(1));
            });
    }

    @Test
    void withoutPerCacheSettingsNothingIsChecked() {
        this.runner.withPropertyValues("cache-warming.defaults.ttl=1m")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    private static InvalidCacheWarmingPropertyException findCause(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof InvalidCacheWarmingPropertyException found) {
                return found;
            }
            current = current.getCause();
        }
        throw new AssertionError("No InvalidCacheWarmingPropertyException in " + failure);
    }

    /** An annotated method: its cache exists once startup has resolved it. */
    static class Catalog {

        @StampedeProtected(cacheName = "products")
        public String product(Long id) {
            return "product-" + id;
        }
    }

    /** Spring's caching annotations only: their caches are created by the first call. */
    @CacheConfig(cacheNames = "orders")
    static class Orders {

        @Cacheable
        public String order(Long id) {
            return "order-" + id;
        }

        @CacheEvict(cacheNames = "orders-by-customer", allEntries = true)
        public void forget(Long customer) {
        }
    }
}
