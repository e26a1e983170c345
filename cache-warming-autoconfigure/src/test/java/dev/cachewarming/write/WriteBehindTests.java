package dev.cachewarming.write;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.WriteBehind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.cachewarming.actuate.WriteBehindEndpoint;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.autoconfigure.CacheWarmingMetricsAutoConfiguration;
import dev.cachewarming.autoconfigure.CacheWarmingWriteActuatorAutoConfiguration;
import dev.cachewarming.metrics.WriteBehindMeterBinder;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.interceptor.InvalidCachedMethodException;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @WriteBehind} against a real Redis, with real flusher threads and counted writer calls.
 */
@ExtendWith(RedisServerExtension.class)
class WriteBehindTests {

    public record Stock(long sku, long version, int quantity) {
    }

    /**
     * The "database": every successful writer call is counted per key and version, and a version is applied only
     * over an older one (the version check the README recommends for exactly-once per key version).
     */
    public static class Database {

        final Map<String, AtomicInteger> writesPerVersion = new ConcurrentHashMap<>();

        final Map<Long, Long> versions = new ConcurrentHashMap<>();

        final AtomicInteger attempts = new AtomicInteger();

        final AtomicInteger outOfOrder = new AtomicInteger();

        volatile long rejectedSku = -1;

        void apply(List<Stock> stocks) {
            if (stocks.stream().anyMatch((stock) -> stock.sku() == this.rejectedSku)) {
                throw new IllegalStateException("check constraint violated by SKU " + this.rejectedSku);
            }
            for (Stock stock : stocks) {
                Long current = this.versions.get(stock.sku());
                if (current != null && current > stock.version()) {
                    this.outOfOrder.incrementAndGet();
                }
                this.writesPerVersion.computeIfAbsent(stock.sku() + "@" + stock.version(), (k) -> new AtomicInteger())
                    .incrementAndGet();
                this.versions.merge(stock.sku(), stock.version(), Math::max);
            }
        }
    }

    /** What one instance's writer does before writing: nothing, block, or fail. */
    @FunctionalInterface
    public interface Behaviour {

        void beforeWrite(int attempt) throws Exception;
    }

    public static class Inventory {

        private final Database database;

        private final Behaviour behaviour;

        public Inventory(Database database, Behaviour behaviour) {
            this.database = database;
            this.behaviour = behaviour;
        }

        @StampedeProtected(cacheName = "stock")
        public Optional<Stock> find(long sku) {
            return Optional.empty();
        }

        @WriteBehind(cacheName = "stock", key = "#stock.sku", value = "#stock", writer = "writeAll")
        public void update(Stock stock) {
        }

        public void writeAll(List<Stock> stocks) throws Exception {
            this.behaviour.beforeWrite(this.database.attempts.incrementAndGet());
            this.database.apply(stocks);
        }
    }

    private final String keyPrefix = "wb-" + UUID.randomUUID();

    private final Database database = new Database();

    private ApplicationContextRunner instance(RedisServer redis, Behaviour behaviour, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(TestRedis.AUTO_CONFIGURATIONS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class,
                    CacheWarmingMetricsAutoConfiguration.class, CacheWarmingWriteActuatorAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                    "cache-warming.redis.key-prefix=" + this.keyPrefix, "cache-warming.write-behind.batch-size=50",
                    "cache-warming.write-behind.poll-interval=20ms",
                    "cache-warming.write-behind.initial-backoff=10ms",
                    "management.endpoints.web.exposure.include=writebehind")
            .withPropertyValues(properties)
            .withBean(Inventory.class, () -> new Inventory(this.database, behaviour));
    }

    private static WriteBehindFlusher flusher(AssertableApplicationContext context) {
        return context.getBean(WriteBehindQueues.class).queue("stock").flusher();
    }

    private long streamLength(AssertableApplicationContext context, String suffix) {
        return context.getBean(StringRedisTemplate.class).opsForStream().size(this.keyPrefix + ":write-behind:stock"
                + suffix);
    }

    @Test
    void pendingWritesOfAStoppedInstanceAreWrittenByAnotherExactlyOncePerKeyVersion(RedisServer redis) {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        instance(redis, (attempt) -> {
            writing.countDown();
            never.await(); // the database hangs; the instance is stopped without flushing
        }, "cache-warming.write-behind.shutdown-timeout=0").run((a) -> {
            Inventory inventory = a.getBean(Inventory.class);
            for (int version = 1; version <= 3; version++) {
                for (long sku = 1; sku <= 100; sku++) {
                    inventory.update(new Stock(sku, version, version * 10));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> writing.getCount() == 0);
            assertThat(a.getBean(TieredCacheRegistry.class).find("stock").peekLocal(7L).value())
                .as("in the cache at once").isEqualTo(Optional.of(new Stock(7, 3, 30)));
            a.close();
        });
        assertThat(this.database.writesPerVersion).as("nothing written by the stopped instance").isEmpty();

        // B starts well within claim-min-idle of A's last delivery: A's pending batch (version 1 of 50 keys) cannot
        // be taken over yet while versions 2 and 3 wait unread; B must not write those first.
        instance(redis, (attempt) -> {
        }, "cache-warming.write-behind.claim-min-idle=1500ms").run((b) -> {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(this.database.versions).hasSize(100);
                assertThat(this.database.versions.values()).containsOnly(3L);
                assertThat(streamLength(b, "")).as("nothing left in the stream").isZero();
            });
            // A duplicate would arrive within a claim interval (claim-min-idle / 2).
            await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                assertThat(this.database.outOfOrder).as("no key's older version after a newer one").hasValue(0);
                assertThat(this.database.writesPerVersion.values()).as("each key version written at most once")
                    .allSatisfy((count) -> assertThat(count).hasValue(1));
            });
            for (long sku = 1; sku <= 100; sku++) {
                assertThat(this.database.writesPerVersion).containsKey(sku + "@3");
            }
            System.out.printf("Write-behind takeover: %d key versions written for 300 writes of 100 keys%n",
                    this.database.writesPerVersion.size());
        });
    }

    @Test
    void writerThatFailsThreeTimesThenSucceedsWritesOnceAfterThreeRetries(RedisServer redis) {
        instance(redis, (attempt) -> {
            if (attempt <= 3) {
                throw new IllegalStateException("database unavailable (attempt " + attempt + ")");
            }
        }).run((context) -> {
            context.getBean(Inventory.class).update(new Stock(1, 1, 5));

            await().atMost(Duration.ofSeconds(10)).until(() -> flusher(context).flushed() == 1);
            assertThat(this.database.attempts).hasValue(4);
            assertThat(this.database.writesPerVersion).containsOnlyKeys("1@1");
            assertThat(this.database.writesPerVersion.get("1@1")).hasValue(1);
            assertThat(flusher(context).retried()).isEqualTo(3);
            assertThat(flusher(context).deadLettered()).isZero();
            assertThat(streamLength(context, "")).isZero();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(WriteBehindMeterBinder.class).bindTo(meters);
            assertThat(meters.get("cache.write-behind.retried").tag("cache", "stock").functionCounter().count())
                .isEqualTo(3);
            assertThat(meters.get("cache.write-behind.flushed").tag("cache", "stock").functionCounter().count())
                .isEqualTo(1);
            assertThat(meters.get("cache.write-behind.queue.depth").tag("cache", "stock").gauge().value()).isZero();
            WriteBehindEndpoint.CacheWriteBehind report = context.getBean(WriteBehindEndpoint.class).cache("stock");
            assertThat(report.depth()).isZero();
            assertThat(report.retried()).isEqualTo(3);
            assertThat(report.flushed()).isEqualTo(1);
        });
    }

    @Test
    void writerThatAlwaysFailsIsDeadLetteredAfterMaxAttempts(RedisServer redis) {
        instance(redis, (attempt) -> {
            throw new IllegalStateException("constraint violated");
        }, "cache-warming.write-behind.max-attempts=3").run((context) -> {
            context.getBean(Inventory.class).update(new Stock(1, 1, 5));

            await().atMost(Duration.ofSeconds(10)).until(() -> flusher(context).deadLettered() == 1);
            assertThat(this.database.attempts).hasValue(3);
            assertThat(flusher(context).retried()).isEqualTo(2);
            assertThat(streamLength(context, "")).isZero();
            assertThat(streamLength(context, ":dead")).isEqualTo(1);
            assertThat(context.getBean(WriteBehindEndpoint.class).cache("stock").deadLetters()).isEqualTo(1);
            assertThat(this.database.writesPerVersion).isEmpty();
        });
    }

    @Test
    void oneValueTheWriterRejectsIsDeadLetteredAloneAndTheRestOfItsBatchIsWritten(RedisServer redis) {
        // The "database" rejects any batch holding SKU 13 (a constraint), whatever else the batch holds.
        this.database.rejectedSku = 13;
        CountDownLatch appended = new CountDownLatch(1);
        instance(redis, (attempt) -> {
            if (attempt == 1) {
                appended.await(); // so that SKU 13 shares its batch with others
            }
        }, "cache-warming.write-behind.max-attempts=2").run((context) -> {
            Inventory inventory = context.getBean(Inventory.class);
            for (long sku = 1; sku <= 20; sku++) {
                inventory.update(new Stock(sku, 1, 1));
            }
            appended.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> flusher(context).deadLettered() == 1
                    && this.database.versions.size() == 19);
            assertThat(this.database.versions).doesNotContainKey(13L);
            assertThat(this.database.writesPerVersion.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
            assertThat(streamLength(context, "")).isZero();
            assertThat(streamLength(context, ":dead")).isEqualTo(1);
        });
    }

    @Test
    void entriesNotWrittenByTheLibraryAreDeadLetteredInsteadOfStayingPending(RedisServer redis) {
        instance(redis, (attempt) -> {
        }).run((context) -> {
            StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
            String stream = this.keyPrefix + ":write-behind:stock";
            template.opsForStream().add(stream, Map.of("x", "1"));
            template.opsForStream().add(stream, Map.of("k", "5"));
            context.getBean(Inventory.class).update(new Stock(1, 1, 5));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(this.database.versions).containsOnlyKeys(1L);
                assertThat(streamLength(context, "")).isZero();
                assertThat(streamLength(context, ":dead")).isEqualTo(2);
            });
        });
    }

    @Test
    void withoutRedisAWriteBehindMethodFailsStartupNamingTheMethodAndTheFix() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
            .withBean(Inventory.class, () -> new Inventory(this.database, (attempt) -> {
            }))
            .run((context) -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                while (failure != null && !(failure instanceof InvalidCachedMethodException)) {
                    failure = failure.getCause();
                }
                assertThat(failure).isInstanceOf(InvalidCachedMethodException.class)
                    .hasMessageContaining("WriteBehindTests.Inventory.update(Stock)")
                    .hasMessageContaining("@WriteBehind needs Redis for its durable queue");
                assertThat(((InvalidCachedMethodException) failure).getAction()).contains("@WriteThrough");
            });
    }
}
