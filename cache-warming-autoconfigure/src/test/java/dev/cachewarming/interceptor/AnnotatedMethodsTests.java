package dev.cachewarming.interceptor;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import jakarta.persistence.EntityManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The annotations on a Spring Data JPA repository (H2), a class bean and an interface method, in a real Boot
 * application with a real Redis.
 */
@SpringBootTest(properties = { "spring.jpa.properties.hibernate.generate_statistics=true",
        "spring.jpa.hibernate.ddl-auto=create-drop" })
@ExtendWith(RedisServerExtension.class)
class AnnotatedMethodsTests {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisServer redis = RedisServerExtension.sharedServer();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        PriceService priceService() {
            return new PriceService();
        }

        @Bean
        CountingStockService stockService() {
            return new CountingStockService();
        }
    }

    @Autowired
    private ItemRepository items;

    @Autowired
    private PriceService prices;

    @Autowired
    private StockService stock;

    @Autowired
    private CountingStockService stockImpl;

    @Autowired
    private TieredCacheRegistry caches;

    @Autowired
    private EntityManagerFactory entityManagerFactory;

    private Statistics statistics;

    @BeforeEach
    void seed() {
        this.items.deleteAll();
        this.items.save(new Item(1L, "SKU-1", "Lamp"));
        this.items.save(new Item(2L, "SKU-2", "Desk"));
        this.items.save(new Item(3L, "OTHER-3", "Rug"));
        this.caches.caches().forEach((cache) -> cache.clear());
        this.statistics = this.entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        this.statistics.clear();
    }

    @Test
    void redeclaredRepositoryFindByIdIsCached() {
        Optional<Item> first = this.items.findById(1L);
        long statements = this.statistics.getPrepareStatementCount();
        Optional<Item> second = this.items.findById(1L);

        assertThat(first).isPresent();
        assertThat(second.get().getName()).isEqualTo("Lamp");
        assertThat(this.statistics.getPrepareStatementCount()).as("no SQL for the second call").isEqualTo(statements);
        assertThat(this.caches.find("items").stats().l1Hits()).isEqualTo(1);
    }

    @Test
    void absentRepositoryResultIsCachedAsEmptyOptional() {
        assertThat(this.items.findById(99L)).isEmpty();
        long statements = this.statistics.getPrepareStatementCount();

        assertThat(this.items.findById(99L)).isEmpty();
        assertThat(this.statistics.getPrepareStatementCount()).isEqualTo(statements);
    }

    @Test
    void derivedQueryIsCachedUnderADefaultName() {
        this.items.findBySku("SKU-2");
        long statements = this.statistics.getPrepareStatementCount();

        assertThat(this.items.findBySku("SKU-2").get().getId()).isEqualTo(2L);
        assertThat(this.statistics.getPrepareStatementCount()).isEqualTo(statements);
        assertThat(this.caches.find("ItemRepository.findBySku")).isNotNull();
    }

    @Test
    void queryMethodWithGenericListResultIsCachedAndRoundTripsThroughRedis() {
        assertThat(this.items.namesWithSkuPrefix("SKU")).containsExactlyInAnyOrder("Lamp", "Desk");
        this.caches.find("itemNames").clearLocal();
        long statements = this.statistics.getPrepareStatementCount();

        List<String> fromRedis = this.items.namesWithSkuPrefix("SKU");

        assertThat(fromRedis).containsExactlyInAnyOrder("Lamp", "Desk");
        assertThat(this.statistics.getPrepareStatementCount()).isEqualTo(statements);
        assertThat(this.caches.find("itemNames").stats().l2Hits()).isEqualTo(1);
    }

    @Test
    void spelKeyOnARecordPropertyIsUsed() {
        int before = this.prices.loads();

        this.prices.priceOf(new SkuQuery("SKU-1", 1));
        Long again = this.prices.priceOf(new SkuQuery("SKU-1", 2));

        assertThat(again).isEqualTo(500L);
        assertThat(this.prices.loads() - before).as("same #p0.sku, one load").isEqualTo(1);
    }

    @Test
    void severalArgumentsFormAnOrderedKey() {
        int before = this.prices.loads();

        assertThat(this.prices.pair("A", 1)).isEqualTo("A@1");
        assertThat(this.prices.pair("A", 1)).isEqualTo("A@1");
        assertThat(this.prices.pair("A", 2)).isEqualTo("A@2");

        assertThat(this.prices.loads() - before).isEqualTo(2);
    }

    @Test
    void checkedExceptionOfTheMethodReachesTheCallerUnchangedAndNothingIsCached() {
        int before = this.prices.loads();

        assertThatThrownBy(() -> this.prices.failing("X")).isInstanceOf(IOException.class)
            .hasMessage("no price for X");
        assertThatThrownBy(() -> this.prices.failing("X")).isInstanceOf(IOException.class);

        assertThat(this.prices.loads() - before).isEqualTo(2);
    }

    @Test
    void annotationOnAnInterfaceMethodAppliesToTheImplementingBean() {
        int before = this.stockImpl.loads();

        this.stock.stockOf("ABC");
        this.stock.stockOf("ABC");

        assertThat(this.stockImpl.loads() - before).isEqualTo(1);
        assertThat(this.caches.find("stock")).isNotNull();
    }
}
