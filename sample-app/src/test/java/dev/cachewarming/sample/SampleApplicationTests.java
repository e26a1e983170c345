package dev.cachewarming.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.sample.catalog.CatalogService;
import dev.cachewarming.sample.catalog.ProductView;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default: H2 and Caffeine only, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sample.catalog.size=3000", "cache-warming.warmup.remember.enabled=false" })
@AutoConfigureTestRestTemplate
class SampleApplicationTests {

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private CatalogService catalog;

    @Autowired
    private TieredCacheRegistry caches;

    @Test
    void productIsReadFromTheDatabaseOnceThenFromTheCache() {
        long before = this.catalog.databaseReads();

        // 2500 is not among the warmed best sellers (1 to 2000).
        ResponseEntity<ProductView> first = this.http.getForEntity("/products/2500", ProductView.class);
        ResponseEntity<ProductView> second = this.http.getForEntity("/products/2500", ProductView.class);

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(first.getBody().sku()).isEqualTo("SKU-2500");
        assertThat(this.catalog.databaseReads() - before).isEqualTo(1);
    }

    @Test
    void missingProductIsA404AndIsCachedAsAbsent() {
        long before = this.catalog.databaseReads();

        assertThat(this.http.getForEntity("/products/999999", String.class).getStatusCode())
            .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(this.http.getForEntity("/products/999999", String.class).getStatusCode())
            .isEqualTo(HttpStatus.NOT_FOUND);

        assertThat(this.catalog.databaseReads() - before).isEqualTo(1);
    }

    @Test
    void repositoryQueryIsCachedToo() {
        ResponseEntity<ProductView> first = this.http.getForEntity("/products/sku/SKU-7", ProductView.class);
        ResponseEntity<ProductView> second = this.http.getForEntity("/products/sku/SKU-7", ProductView.class);

        assertThat(first.getBody().id()).isEqualTo(7);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(this.caches.find("productsBySku").stats().l1Hits()).isEqualTo(1);
    }

    @Test
    void bestSellersAreWarmedBeforeTheInstanceIsReady() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                this.http.getForEntity("/actuator/health/readiness", String.class).getStatusCode())
            .isEqualTo(HttpStatus.OK));
        long before = this.catalog.databaseReads();

        for (long id = 1; id <= 2000; id += 97) {
            assertThat(this.http.getForEntity("/products/" + id, ProductView.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        }

        assertThat(this.catalog.databaseReads()).as("every best seller was already warm").isEqualTo(before);
    }

    @Test
    void embeddedDefaultRunsWithoutRedis() {
        assertThat(this.caches.hasSecondLevel()).isFalse();
    }
}
