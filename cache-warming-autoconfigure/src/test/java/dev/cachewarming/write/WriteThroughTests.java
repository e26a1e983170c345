package dev.cachewarming.write;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisInvalidationSubscriber;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code @WriteThrough} on a real database (H2 through Spring's JDBC transaction manager) and a real Redis shared by
 * two application contexts ("instances"): the cache is written after commit, and a rollback leaves both tiers, on
 * both instances, untouched.
 */
@ExtendWith(RedisServerExtension.class)
class WriteThroughTests {

    public record Product(long id, String name) {
    }

    /** Reads and saves products in the {@code product} table. */
    public static class Catalog {

        private final JdbcTemplate jdbc;

        public Catalog(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @StampedeProtected(cacheName = "products")
        public Optional<Product> find(long id) {
            return this.jdbc.query("select id, name from product where id = ?",
                    (rs, n) -> new Product(rs.getLong(1), rs.getString(2)), id).stream().findFirst();
        }

        @WriteThrough(cacheName = "products", key = "#product.id")
        public Product save(Product product) {
            this.jdbc.update("merge into product (id, name) key (id) values (?, ?)", product.id(), product.name());
            return product;
        }

        @WriteThrough(cacheName = "products", key = "#element.id")
        public List<Product> saveAll(List<Product> products) {
            products.forEach(this::save);
            return products;
        }
    }

    private static final Class<?>[] DATABASE = classes("org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration");

    /** One database both instances share (H2 in memory, kept open while either runs). */
    private final String database = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private final String keyPrefix = "wt-" + UUID.randomUUID();

    private ApplicationContextRunner instance(RedisServer redis) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DATABASE))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "spring.datasource.url=" + this.database, "spring.datasource.username=sa",
                    "cache-warming.redis.key-prefix=" + this.keyPrefix)
            .withBean(Catalog.class);
    }

    /** Creates the table once both instances listen to invalidations (a late subscription clears L1). */
    private static void createTable(AssertableApplicationContext context, AssertableApplicationContext other) {
        for (AssertableApplicationContext instance : List.of(context, other)) {
            await().atMost(Duration.ofSeconds(10))
                .until(() -> instance.getBean(RedisInvalidationSubscriber.class).isSubscribed());
        }
        context.getBean(JdbcTemplate.class)
            .execute("create table if not exists product (id bigint primary key, name varchar(100))");
    }

    private static TieredCache products(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).find("products");
    }

    private static Object localValue(AssertableApplicationContext context) {
        dev.cachewarming.cache.CacheEntry entry = products(context).peekLocal(1L);
        return (entry != null) ? entry.value() : null;
    }

    private static TransactionTemplate transactions(AssertableApplicationContext context) {
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }

    @Test
    void rolledBackTransactionLeavesTheCacheUntouchedInBothTiersOnBothInstances(RedisServer redis) {
        instance(redis).run((a) -> instance(redis).run((b) -> {
            createTable(a, b);
            Catalog catalog = a.getBean(Catalog.class);
            catalog.save(new Product(1, "Original"));
            assertThat(b.getBean(Catalog.class).find(1)).contains(new Product(1, "Original"));
            StringRedisTemplate raw = a.getBean(StringRedisTemplate.class);
            String redisKey = this.keyPrefix + ":products:1";
            String inRedis = raw.opsForValue().get(redisKey);

            transactions(a).executeWithoutResult((status) -> {
                catalog.save(new Product(1, "Rolled back"));
                status.setRollbackOnly();
            });
            assertThatThrownBy(() -> transactions(a).executeWithoutResult((status) -> {
                catalog.save(new Product(1, "Failed"));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");

            assertThat(raw.opsForValue().get(redisKey)).as("L2 untouched").isEqualTo(inRedis);
            Optional<Product> original = Optional.of(new Product(1, "Original"));
            assertThat(localValue(a)).as("L1 of the writer").isEqualTo(original);
            // The other instance may have dropped its copy when the first save's message reached it after its read.
            assertThat(localValue(b)).as("L1 of the other instance").isIn(null, original);
            long loads = products(b).stats().loadSuccesses();
            assertThat(b.getBean(Catalog.class).find(1)).isEqualTo(original);
            assertThat(products(b).stats().loadSuccesses()).as("read from Redis").isEqualTo(loads);
            assertThat(a.getBean(JdbcTemplate.class).queryForObject("select name from product where id = 1",
                    String.class)).isEqualTo("Original");
        }));
    }

    @Test
    void committedTransactionIsVisibleOnTheOtherInstanceWithoutADatabaseRead(RedisServer redis) {
        instance(redis).run((a) -> instance(redis).run((b) -> {
            createTable(a, b);
            Catalog catalog = a.getBean(Catalog.class);
            catalog.save(new Product(2, "Before"));
            assertThat(b.getBean(Catalog.class).find(2)).contains(new Product(2, "Before"));
            long loadsBefore = products(b).stats().loadSuccesses();

            transactions(a).executeWithoutResult((status) -> {
                catalog.save(new Product(2, "After"));
                assertThat(products(a).peekLocal(2L).value()).as("not before the commit")
                    .isEqualTo(Optional.of(new Product(2, "Before")));
            });

            await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(b.getBean(Catalog.class).find(2)).contains(new Product(2, "After")));
            assertThat(products(b).stats().loadSuccesses()).as("read from Redis, not the database")
                .isEqualTo(loadsBefore);
            assertThat(products(a).peekLocal(2L).value()).isEqualTo(Optional.of(new Product(2, "After")));
        }));
    }

    @Test
    void collectionResultWritesEveryElementUnderItsOwnKeyInOneBatch(RedisServer redis) {
        instance(redis).run((a) -> instance(redis).run((b) -> {
            createTable(a, b);
            List<Product> saved = List.of(new Product(10, "Ten"), new Product(11, "Eleven"), new Product(12, "Twelve"));

            transactions(a).executeWithoutResult((status) -> a.getBean(Catalog.class).saveAll(saved));

            for (Product product : saved) {
                assertThat(b.getBean(Catalog.class).find(product.id())).contains(product);
            }
            assertThat(products(b).stats().loadSuccesses()).as("every value came from Redis").isZero();
        }));
    }

    private static Class<?>[] classes(String... names) {
        Class<?>[] classes = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                classes[i] = Class.forName(names[i]);
            }
            catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return classes;
    }
}
