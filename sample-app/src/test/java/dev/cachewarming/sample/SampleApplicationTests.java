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
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.catalog.size=1000")
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

        ResponseEntity<ProductView> first = this.http.getForEntity("/products/42", ProductView.class);
        ResponseEntity<ProductView> second = this.http.getForEntity("/products/42", ProductView.class);

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(first.getBody().sku()).isEqualTo("SKU-42");
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
    void embeddedDefaultRunsWithoutRedis() {
        assertThat(this.caches.hasSecondLevel()).isFalse();
    }
}
