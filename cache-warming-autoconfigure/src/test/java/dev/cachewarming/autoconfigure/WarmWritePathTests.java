package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm write path ({@link TieredCache#putWarmed}) against a real Redis: one pipeline and one message per
 * batch, and a value written or evicted by someone else meanwhile always wins over the warmed one.
 */
@ExtendWith(RedisServerExtension.class)
class WarmWritePathTests {

    private static final String CHANNEL = "cache-warming:invalidations";

    private static final String BATCH_CHANNEL = "cache-warming:invalidations:batch";

    private ApplicationContextRunner instances(RedisServer redis) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
            .withPropertyValues(TestAutoConfigurations.redisProperties(redis))
            // A generous timeout: these tests count messages, and a first command on a busy CI machine may be slow.
            .withPropertyValues("cache-warming.defaults.ttl=10m", "cache-warming.defaults.jitter=0",
                    "cache-warming.redis.command-timeout=5s");
    }

    private static TieredCache names(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("names", String.class, Long.class);
    }

    private static String inRedis(AssertableApplicationContext context, long key) {
        return context.getBean(StringRedisTemplate.class).opsForValue().get("cache-warming:names:" + key);
    }

    private static Map<Object, Object> warmed(long from, long to) {
        Map<Object, Object> values = new LinkedHashMap<>();
        for (long key = from; key <= to; key++) {
            values.put(key, "warm-" + key);
        }
        return values;
    }

    @Test
    void aBatchIsStoredInBothTiersWithOneInvalidationMessage(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            List<String> messages = new CopyOnWriteArrayList<>();
            List<String> classic = new CopyOnWriteArrayList<>();
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    (channel.equals(BATCH_CHANNEL) ? messages : classic).add(message);
                }
            });
            subscriber.sync().subscribe(CHANNEL, BATCH_CHANNEL);
            instances(redis).run((context) -> {
                TieredCache cache = names(context);

                int stored = cache.putWarmed(warmed(1, 500), 1_000, System.nanoTime(), Set.of());

                assertThat(stored).isEqualTo(500);
                assertThat(cache.peekLocal(250L).value()).isEqualTo("warm-250");
                assertThat(inRedis(context, 250)).contains("warm-250");
                await().atMost(Duration.ofSeconds(5)).until(() -> !messages.isEmpty());
                assertThat(messages).hasSize(1);
                assertThat(messages.get(0)).contains("\"ks\":[\"1\",\"2\",").contains("\"500\"");
                assertThat(classic).as("nothing on the channel earlier versions read (a batch would clear them)")
                    .isEmpty();
            });
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void theBatchMessageDropsOtherInstancesCopiesOfTheKeysWritten(RedisServer redis) {
        instances(redis).run((b) -> {
            names(b).put(7L, "old-7");
            // Redis loses the key without a message (evicted under maxmemory, say); b still holds its copy.
            b.getBean(StringRedisTemplate.class).delete("cache-warming:names:7");
            assertThat(names(b).peekLocal(7L).value()).isEqualTo("old-7");
            // a starts after b's put: b's message for it, which a would take for a write during the batch (and
            // drop the warmed copy), cannot reach a late.
            instances(redis).run((a) -> {
                names(a).putWarmed(warmed(1, 10), 1_000, System.nanoTime(), Set.of());

                await().atMost(Duration.ofSeconds(5)).until(() -> names(b).peekLocal(7L) == null);
                assertThat(names(b).getEntry(7L).value()).isEqualTo("warm-7");
            });
        });
    }

    @Test
    void aBatchIsWrittenByOneScriptCall(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            instances(redis).run((context) -> {
                raw.sync().configResetstat();

                names(context).putWarmed(warmed(1, 300), 1_000, System.nanoTime(), Set.of());

                String commands = raw.sync().info("commandstats");
                assertThat(commands).contains("cmdstat_eval:calls=1,").contains("cmdstat_set:calls=300,");
                assertThat(raw.sync().pttl("cache-warming:names:150")).isBetween(1L, 600_000L);
            });
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void batchWritesCanBePipelinedInstead(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            instances(redis).withPropertyValues("cache-warming.redis.batch-writes=pipeline").run((context) -> {
                raw.sync().configResetstat();

                int stored = names(context).putWarmed(warmed(1, 300), 1_000, System.nanoTime(), Set.of());

                assertThat(stored).isEqualTo(300);
                assertThat(raw.sync().info("commandstats")).doesNotContain("cmdstat_eval:")
                    .contains("cmdstat_set:calls=300,");
            });
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void aServerThatRefusesScriptsGetsPipelinesWithTheSameOutcome(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            // An account that may not run scripts, as some managed Redis offerings set up.
            raw.sync().aclSetuser("noscripts", io.lettuce.core.AclSetuserArgs.Builder.on()
                .addPassword("secret").allKeys().allChannels().allCommands().removeCommand(
                        io.lettuce.core.protocol.CommandType.EVAL).removeCommand(
                        io.lettuce.core.protocol.CommandType.EVALSHA));
            raw.sync().set("cache-warming:names:2", "{\"v\":\"kept-2\",\"w\":1,\"e\":" + Long.MAX_VALUE
                    + ",\"l\":0}");
            raw.sync().configResetstat();
            instances(redis).withPropertyValues("spring.data.redis.username=noscripts",
                    "spring.data.redis.password=secret").run((context) -> {
                        TieredCache cache = names(context);

                        int first = cache.putWarmed(warmed(1, 3), 1_000, System.nanoTime(), Set.of());
                        int second = cache.putWarmed(warmed(4, 5), 1_000, System.nanoTime(), Set.of());

                        assertThat(first).as("the refused batch is pipelined at once").isEqualTo(2);
                        assertThat(second).isEqualTo(2);
                        assertThat(inRedis(context, 1)).contains("warm-1");
                        assertThat(inRedis(context, 2)).as("NX kept").contains("kept-2");
                        assertThat(inRedis(context, 5)).contains("warm-5");
                        assertThat(raw.sync().info("commandstats")).as("refused once, then not tried again")
                            .containsPattern("cmdstat_eval:calls=0,.*rejected_calls=1");
                        assertThat(context.getBean(dev.cachewarming.redis.RedisCommandRunner.class).breaker()
                            .getMetrics()
                            .getNumberOfFailedCalls()).as("a refusal is an answer: Redis is up").isZero();
                    });
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void aValueWrittenOrEvictedDuringTheBatchWinsOverTheWarmedOne(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            long started = System.nanoTime();
            // While the batch loads: a user writes key 2 and evicts key 3 here.
            cache.put(2L, "user-2");
            cache.put(3L, "user-3");
            cache.evict(3L);

            int stored = cache.putWarmed(warmed(1, 4), 1_000, started, Set.of());

            assertThat(stored).isEqualTo(2);
            assertThat(cache.peekLocal(1L).value()).isEqualTo("warm-1");
            assertThat(cache.peekLocal(2L).value()).isEqualTo("user-2");
            assertThat(inRedis(context, 2)).contains("user-2");
            assertThat(cache.peekLocal(3L)).as("evicted during the batch: stays evicted").isNull();
            assertThat(inRedis(context, 3)).isNull();
            assertThat(cache.peekLocal(4L).value()).isEqualTo("warm-4");
        });
    }

    @Test
    void aValueAnotherInstanceWroteAfterTheEngineLookedIsKept(RedisServer redis) {
        instances(redis).run((a) -> instances(redis).run((b) -> {
            long started = System.nanoTime();
            names(b).put(5L, "newer-5");

            names(a).putWarmed(warmed(1, 8), 1_000, started, Set.of());

            assertThat(inRedis(a, 5)).contains("newer-5");
            assertThat(names(a).peekLocal(5L)).as("the warmed value is not kept in L1 either").isNull();
            assertThat(names(a).getEntry(5L).value()).isEqualTo("newer-5");
            assertThat(names(a).peekLocal(6L).value()).isEqualTo("warm-6");
        }));
    }

    @Test
    void aValueRedisHoldsButCannotServeIsReplacedByTheWarmedOne(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            // Written by a version whose value type differed: this one cannot read it.
            context.getBean(StringRedisTemplate.class).opsForValue().set("cache-warming:names:9", "{\"v\":[1,2]}");

            TieredCache.SharedRead read = cache.readSharedAll(List.of(8L, 9L));
            int stored = cache.putWarmed(warmed(8, 9), 1_000, System.nanoTime(), read.unusable());

            assertThat(read.found()).isEmpty();
            assertThat(read.unusable()).containsExactly(9L);
            assertThat(stored).isEqualTo(2);
            assertThat(inRedis(context, 9)).contains("warm-9");
            assertThat(cache.peekLocal(9L).value()).isEqualTo("warm-9");
        });
    }

    private static String envelope(String value) {
        return "{\"v\":" + value + ",\"w\":1,\"e\":" + (System.currentTimeMillis() + 600_000) + ",\"l\":0}";
    }

    @Test
    void valuesCopiedFromRedisAreDecodedByTheirFirstRead(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
            template.opsForValue().set("cache-warming:names:21", envelope("\"twenty-one\""));
            // Another shape than the cache's String values, as after a type change: found, since only the first
            // value of a batch is decoded at once, and a miss when it is first read.
            template.opsForValue().set("cache-warming:names:22", envelope("{\"a\":1}"));
            template.opsForValue().set("cache-warming:names:23", envelope("\"twenty-three\""));

            TieredCache.SharedRead read = cache.readSharedAll(List.of(21L, 22L, 23L));

            assertThat(read.found()).containsOnlyKeys(21L, 22L, 23L);
            assertThat(cache.getFreshValue(23L, cache.now())).isEqualTo("twenty-three");
            assertThat(cache.getFreshValue(22L, cache.now())).isSameAs(TieredCache.MISS);
            assertThat(cache.stats().l2DecodeErrors()).isEqualTo(1);
            assertThat(cache.peekLocal(22L)).as("dropped from L1 when found unreadable").isNull();
            assertThat(cache.getEntry(21L).value()).isEqualTo("twenty-one");
        });
    }

    @Test
    void aBatchWhoseFirstValueCannotBeDecodedIsDecodedWholeSoEveryUnreadableValueIsReplaced(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
            template.opsForValue().set("cache-warming:names:31", envelope("{\"a\":1}"));
            template.opsForValue().set("cache-warming:names:32", envelope("\"thirty-two\""));
            template.opsForValue().set("cache-warming:names:33", envelope("[3]"));

            TieredCache.SharedRead read = cache.readSharedAll(List.of(31L, 32L, 33L));
            int stored = cache.putWarmed(warmed(31, 33), 1_000, System.nanoTime(), read.unusable());

            assertThat(read.found()).containsOnlyKeys(32L);
            assertThat(read.unusable()).containsExactlyInAnyOrder(31L, 33L);
            assertThat(stored).isEqualTo(2);
            assertThat(inRedis(context, 31)).contains("warm-31");
            assertThat(inRedis(context, 33)).contains("warm-33");
        });
    }

    @Test
    void anAbsentResultDoesNotVouchForTheTypeOfTheRestOfItsBatch(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
            // {"v":null} reads as any type: the first value that proves something is the next one, which cannot.
            template.opsForValue().set("cache-warming:names:41", envelope("null"));
            template.opsForValue().set("cache-warming:names:42", envelope("{\"a\":1}"));
            template.opsForValue().set("cache-warming:names:43", envelope("[3]"));

            TieredCache.SharedRead read = cache.readSharedAll(List.of(41L, 42L, 43L));

            assertThat(read.found()).containsOnlyKeys(41L);
            assertThat(read.unusable()).containsExactlyInAnyOrder(42L, 43L);
        });
    }

    /** A value whose JSON cannot be written when its name is "unwritable". */
    public record Fragile(String name) {

        @Override
        public String name() {
            if (this.name.equals("unwritable")) {
                throw new IllegalStateException("cannot be written");
            }
            return this.name;
        }
    }

    @Test
    void aValueThatCannotBeWrittenStaysOutOfRedisAndTheRestOfItsBatchGoesIn(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = context.getBean(TieredCacheRegistry.class).cache("fragile", Fragile.class, Long.class);
            Map<Object, Object> values = new LinkedHashMap<>();
            values.put(1L, new Fragile("one"));
            values.put(2L, new Fragile("unwritable"));
            values.put(3L, new Fragile("three"));

            int stored = cache.putWarmed(values, 1_000, System.nanoTime(), Set.of());

            StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
            assertThat(template.opsForValue().get("cache-warming:fragile:1")).contains("one");
            assertThat(template.opsForValue().get("cache-warming:fragile:2")).isNull();
            assertThat(template.opsForValue().get("cache-warming:fragile:3")).contains("three");
            assertThat(stored).as("all three serve from L1").isEqualTo(3);
            assertThat(cache.stats().l2Errors()).isEqualTo(1);
        });
    }

    @Test
    void concurrentPutsAlwaysWinOverConcurrentWarmBatches(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            Map<Long, String> userWrites = new ConcurrentHashMap<>();
            // A user writes keys of the batch being stored and of the next one while batches are stored.
            WarmBatchesWhile race = new WarmBatchesWhile(cache, 1_000, (key, n) -> {
                String value = "user-" + n;
                cache.put(key, value);
                userWrites.put(key, value);
            });
            race.run();

            List<Long> overwritten = new ArrayList<>();
            for (Map.Entry<Long, String> write : userWrites.entrySet()) {
                CacheEntry local = cache.peekLocal(write.getKey());
                String shared = inRedis(context, write.getKey());
                if ((local != null && !write.getValue().equals(local.value()))
                        || (shared != null && !shared.contains("\"" + write.getValue() + "\""))) {
                    overwritten.add(write.getKey());
                }
            }
            assertThat(race.userCallsDuringWarmUp()).as("writes made while batches were stored").isEqualTo(1_000);
            assertThat(overwritten).as("keys whose user write a warm batch replaced").isEmpty();
        });
    }

    @Test
    void concurrentEvictsAlwaysWinOverConcurrentWarmBatches(RedisServer redis) {
        instances(redis).run((context) -> {
            TieredCache cache = names(context);
            // Per key, when its latest eviction began: an eviction that began after its batch did must win.
            Map<Long, Long> evictedAt = new ConcurrentHashMap<>();
            WarmBatchesWhile race = new WarmBatchesWhile(cache, 1_000, (key, n) -> {
                evictedAt.put(key, System.nanoTime());
                cache.evict(key);
            });
            race.run();

            List<Long> resurrected = new ArrayList<>();
            for (Map.Entry<Long, Long> eviction : evictedAt.entrySet()) {
                long key = eviction.getKey();
                if (!race.batchBeganBefore(key, eviction.getValue())) {
                    continue; // evicted before its batch began loading: the batch may store it
                }
                if (cache.peekLocal(key) != null || inRedis(context, key) != null) {
                    resurrected.add(key);
                }
            }
            assertThat(race.userCallsDuringWarmUp()).as("evictions made while batches were stored").isEqualTo(1_000);
            assertThat(resurrected).as("keys a warm batch stored again after their eviction").isEmpty();
        });
    }

    /**
     * Stores warm batches of new keys, one after the other, until a user thread has made its calls on keys of
     * the batch being stored or the next one (each batch's keys are new: 250 per batch, 400 batches at most).
     */
    private static final class WarmBatchesWhile {

        private static final int PER_BATCH = 250;

        private static final int MAX_BATCHES = 400;

        private final TieredCache cache;

        private final int userCalls;

        private final UserCall userCall;

        private final long[] batchStarted = new long[MAX_BATCHES];

        private final AtomicInteger batch = new AtomicInteger(-1);

        private final AtomicInteger userCallsMade = new AtomicInteger();

        private volatile boolean warming = true;

        WarmBatchesWhile(TieredCache cache, int userCalls, UserCall userCall) {
            this.cache = cache;
            this.userCalls = userCalls;
            this.userCall = userCall;
        }

        void run() throws InterruptedException {
            CountDownLatch start = new CountDownLatch(1);
            Thread warmer = new Thread(() -> {
                awaitStart(start);
                for (int b = 0; b < MAX_BATCHES && this.userCallsMade.get() < this.userCalls; b++) {
                    this.batchStarted[b] = System.nanoTime();
                    this.batch.set(b);
                    this.cache.putWarmed(warmed((long) b * PER_BATCH + 1, (long) (b + 1) * PER_BATCH), 1_000,
                            this.batchStarted[b], Set.of());
                }
                this.warming = false;
            });
            Thread user = new Thread(() -> {
                awaitStart(start);
                for (int n = 0; n < this.userCalls && this.warming; n++) {
                    int current;
                    while ((current = this.batch.get()) < 0) {
                        Thread.onSpinWait();
                    }
                    long key = (long) current * PER_BATCH + 1 + ThreadLocalRandom.current().nextLong(2 * PER_BATCH);
                    this.userCall.call(key, n);
                    if (this.warming) {
                        this.userCallsMade.incrementAndGet();
                    }
                }
            });
            warmer.start();
            user.start();
            start.countDown();
            warmer.join();
            user.join();
        }

        /** How many user calls ended while batches were still being stored. */
        int userCallsDuringWarmUp() {
            return this.userCallsMade.get();
        }

        /** Whether loading the batch of a key began before {@code nanos} (a batch that never began: no). */
        boolean batchBeganBefore(long key, long nanos) {
            int b = (int) ((key - 1) / PER_BATCH);
            return b <= this.batch.get() && nanos - this.batchStarted[b] > 0;
        }
    }

    @FunctionalInterface
    private interface UserCall {

        void call(long key, int n);
    }

    private static void awaitStart(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
