package dev.cachewarming.write;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.actuate.CacheDumpEndpoint;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.autoconfigure.CacheWarmingWriteActuatorAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code cachedumps} endpoint: a cache dumped from the application's Redis, emptied, and populated back is read
 * from Redis again by a new instance, decoded as its declared type.
 */
@ExtendWith(RedisServerExtension.class)
class CacheDumpEndpointTests {

    public record Product(long id, String name) {
    }

    @TempDir
    Path dumps;

    private ApplicationContextRunner instance(RedisServer redis, String prefix) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TestRedis.AUTO_CONFIGURATIONS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class,
                    CacheWarmingWriteActuatorAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.redis.key-prefix=" + prefix, "cache-warming.dump.directory=" + this.dumps,
                    "cache-warming.dump.chunk-entries=300", "management.endpoints.web.exposure.include=cachedumps");
    }

    private static TieredCache products(org.springframework.context.ApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("products", Product.class, Long.class);
    }

    @Test
    void dumpedCacheIsPopulatedBackAndReadFromRedisByANewInstance(RedisServer redis) {
        String prefix = "dumps-" + UUID.randomUUID();
        instance(redis, prefix).run((context) -> {
            Map<Long, Product> values = new LinkedHashMap<>();
            for (long id = 1; id <= 1_000; id++) {
                values.put(id, new Product(id, "Product " + id));
            }
            products(context).putAll(values);
            CacheDumpEndpoint endpoint = context.getBean(CacheDumpEndpoint.class);

            Map<String, Object> dumped = endpoint.run("products", "dump", "products-1");
            assertThat(((CacheDumpEndpoint.DumpSummary) dumped.get("dump")).entries()).isEqualTo(1_000);
            assertThat(((CacheDumpEndpoint.DumpSummary) dumped.get("dump")).chunks()).isEqualTo(4);
            assertThat(endpoint.dumps()).containsOnlyKeys("products-1");

            products(context).clear();
            Map<String, Object> populated = endpoint.run("products", "populate", "products-1");
            assertThat(populated).containsEntry("written", 1_000L).containsEntry("chunksPopulated", 4);
            assertThat(endpoint.run("products", "populate", "products-1")).as("a second run has nothing left")
                .containsEntry("chunksSkipped", 4)
                .containsEntry("written", 0L);

            assertThatThrownBy(() -> endpoint.run("products", "dump", "../escape"))
                .isInstanceOf(IllegalArgumentException.class);
        });
        instance(redis, prefix).run((context) -> {
            TieredCache products = products(context);
            for (long id = 1; id <= 1_000; id += 111) {
                long key = id;
                assertThat(products.get(key, () -> {
                    throw new AssertionError("loaded from the database: not in Redis");
                })).isEqualTo(new Product(id, "Product " + id));
            }
        });
    }
}
