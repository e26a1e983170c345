package dev.cachewarming.warming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.redis.RedisHotKeyStore;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance serves traffic and stops; the next one warms the hot part of that traffic.
 */
@ExtendWith(RedisServerExtension.class)
class RememberedTrafficTests {

    @TempDir
    Path hotKeys;

    /** Only remembered traffic: no declared keys. */
    public static class Shop {

        @dev.cachewarming.annotation.Warmable(cacheName = "shop")
        public String item(Long id) {
            return "item-" + id;
        }
    }

    private ApplicationContextRunner instance(RedisServer redis, boolean useRedis, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
                    org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class,
                    CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.redis.enabled=" + useRedis, "cache-warming.warmup.max-keys=3",
                    "cache-warming.warmup.remember.sample-rate=1",
                    "cache-warming.warmup.remember.directory=" + this.hotKeys)
            .withPropertyValues(properties)
            .withBean(Shop.class);
    }

    private static void serve(AssertableApplicationContext context, long id, int times) {
        Shop shop = context.getBean(Shop.class);
        for (int i = 0; i < times; i++) {
            shop.item(id);
        }
    }

    private static Set<Long> warmedKeys(AssertableApplicationContext context) {
        context.publishEvent(new ApplicationReadyEvent(new org.springframework.boot.SpringApplication(), new String[0],
                context.getSourceApplicationContext(ConfigurableApplicationContext.class), Duration.ZERO));
        DefaultCacheWarming warming = context.getBean(DefaultCacheWarming.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> warming.state().isFinished());
        TieredCache cache = context.getBean(TieredCacheRegistry.class).find("shop");
        Set<Long> warmed = new TreeSet<>();
        for (long id = 1; id <= 10; id++) {
            if (cache.peekLocal(id) != null) {
                warmed.add(id);
            }
        }
        return warmed;
    }

    @Test
    void withoutRedisTheHotKeysAreRememberedInAFileAndWarmedOnTheNextStart(RedisServer redis) throws Exception {
        instance(redis, false).run((first) -> {
            serve(first, 1, 20);
            serve(first, 2, 15);
            serve(first, 3, 10);
            for (long id = 4; id <= 10; id++) {
                serve(first, id, 1);
            }
        });
        assertThat(Files.list(this.hotKeys).map((p) -> p.getFileName().toString()))
            .contains("shop.hot-keys.json");

        instance(redis, false).run((second) -> {
            assertThat(second.getBean(HotKeyStore.class)).isInstanceOf(FileHotKeyStore.class);
            assertThat(warmedKeys(second)).containsExactly(1L, 2L, 3L);
            assertThat(second.getBean(DefaultCacheWarming.class).progress().get("shop").remembered()).isEqualTo(3);
        });
    }

    @Test
    void withRedisTheCountsOfEveryInstanceAddUp(RedisServer redis) {
        // No decay here, so the sums are exact.
        String noDecay = "cache-warming.warmup.remember.decay=1";
        instance(redis, true, noDecay).run((a) -> instance(redis, true, noDecay).run((b) -> {
            assertThat(a.getBean(HotKeyStore.class)).isInstanceOf(RedisHotKeyStore.class);
            // Alone, A's top 3 is 1, 2, 4 and B's is 1, 3, 5; together 7 (12 calls) beats all but 1 and 2.
            serve(a, 1, 30);
            serve(a, 2, 10);
            serve(a, 4, 8);
            serve(a, 7, 6);
            serve(b, 1, 30);
            serve(b, 3, 9);
            serve(b, 5, 8);
            serve(b, 7, 6);
        }));

        instance(redis, true, noDecay).run((c) -> {
            // Cleared Redis values, so warming must load them, from what the fleet remembered.
            Set<Long> warmed = warmedKeys(c);
            assertThat(warmed).containsExactly(1L, 2L, 7L);
        });
    }

    @Test
    void hotKeysInTheEndpointAreMaskedUnlessShowKeysAllowsThem(RedisServer redis) {
        instance(redis, false).run((context) -> {
            serve(context, 42, 5);
            serve(context, 7, 2);
            DefaultCacheWarming warming = context.getBean(DefaultCacheWarming.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !warming.hotKeys("shop", 10).isEmpty());
            TieredCacheRegistry caches = context.getBean(TieredCacheRegistry.class);

            var masked = new dev.cachewarming.actuate.WarmingEndpoint(warming, caches,
                    org.springframework.boot.actuate.endpoint.Show.NEVER, Set.of())
                .cache("shop", org.springframework.boot.actuate.endpoint.SecurityContext.NONE);
            var shown = new dev.cachewarming.actuate.WarmingEndpoint(warming, caches,
                    org.springframework.boot.actuate.endpoint.Show.ALWAYS, Set.of())
                .cache("shop", org.springframework.boot.actuate.endpoint.SecurityContext.NONE);
            var unauthorized = new dev.cachewarming.actuate.WarmingEndpoint(warming, caches,
                    org.springframework.boot.actuate.endpoint.Show.WHEN_AUTHORIZED, Set.of())
                .cache("shop", org.springframework.boot.actuate.endpoint.SecurityContext.NONE);

            assertThat(masked.hotKeys()).extracting("key").containsOnly("******");
            assertThat(unauthorized.hotKeys()).extracting("key").containsOnly("******");
            assertThat(shown.hotKeys()).extracting("key").containsExactly("42", "7");
            assertThat(shown.hotKeys()).extracting("count").containsExactly(5L, 2L);
        });
    }
}
