package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on a local Redis Cluster (3 masters, 3 replicas, node timeout 1 s): values, leases (their release
 * script) and invalidations work across slots, and callers are served while a killed master's replica takes over.
 * The failover test kills a master, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTests {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

    /**
     * The longest a call may take through a failover: what it may take through any Redis outage (5 x
     * command-timeout, a re-check interval, a second of slack; see {@link RedisFaultToleranceTests}), plus the
     * failover itself, during which a key's lease left on the failed master's replica cannot be released: the node
     * timeout and as long again for the election and Lettuce's topology refresh.
     */
    private static final Duration CALL_BOUND = Duration.ofMillis(250 * 5 + 1000 + 1000).plus(NODE_TIMEOUT.multipliedBy(2));

    private static RedisProcessCluster cluster;

    private final FaultyCatalog catalog = new FaultyCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void startCluster() {
        cluster = RedisProcessCluster.start(3, 1, NODE_TIMEOUT);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void release() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instance() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TestAutoConfigurations.REDIS))
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodeAddresses()),
                    "spring.data.redis.connect-timeout=500ms", "cache-warming.stampede.wait-timeout=30s",
                    "cache-warming.warmup.enabled=false")
            .withBean(FaultyCatalog.Service.class, () -> new FaultyCatalog.Service(this.catalog));
    }

    private static FaultyCatalog.Service service(AssertableApplicationContext context) {
        return context.getBean(FaultyCatalog.Service.class);
    }

    private static TieredCache products(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).cache("products", FaultyCatalog.Product.class, Long.class);
    }

    @Test
    @Order(1)
    void concurrentMissesOnTwoInstancesLoadEachKeyOnceAndWritesReachTheOtherInstance() {
        // "Once" holds while Redis answers: a breaker opened by a few slow answers on a busy machine would let both
        // instances load (availability first), so this test gives every command a generous, fixed timeout.
        String[] patient = { "cache-warming.redis.adaptive-timeout.enabled=false",
                "cache-warming.redis.command-timeout=2s" };
        instance().withPropertyValues(patient).run((a) -> instance().withPropertyValues(patient).run((b) -> {
            for (long id = 1; id <= 20; id++) {
                Long key = id;
                this.catalog.closeGate();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<FaultyCatalog.Product>> results = new ArrayList<>();
                for (AssertableApplicationContext instance : List.of(a, b)) {
                    for (int i = 0; i < 10; i++) {
                        results.add(this.threads.submit(() -> {
                            start.await();
                            return service(instance).find(key);
                        }));
                    }
                }
                start.countDown();
                assertThat(this.catalog.awaitLoadStarted()).isTrue();
                this.catalog.openGate();
                for (Future<FaultyCatalog.Product> result : results) {
                    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new FaultyCatalog.Product(key, 0));
                }
            }
            assertThat(this.catalog.loads()).as("loads of 20 keys, 20 callers each on 2 instances").isEqualTo(20);

            for (long id = 1; id <= 20; id++) {
                FaultyCatalog.Product update = this.catalog.update(id);
                products(a).put(id, update);
                long key = id;
                await().atMost(Duration.ofSeconds(5)).until(() -> service(b).find(key).equals(update));
            }

            // A clear scans every master and reaches the other instance.
            products(a).clear();
            await().atMost(Duration.ofSeconds(5)).until(() -> products(b).localSize() == 0);
            int loads = this.catalog.loads();
            for (long id = 1; id <= 20; id++) {
                service(b).find(id);
            }
            assertThat(this.catalog.loads()).as("nothing left in Redis either").isEqualTo(loads + 20);
        }));
    }

    @Test
    @Order(2)
    void callersAreServedWhileAKilledMastersReplicaTakesOverAndWritesReachTheOtherInstanceAfterwards()
            throws Exception {
        instance().run((a) -> instance().run((b) -> {
            FaultTraffic traffic = new FaultTraffic(List.of(service(a), service(b)), products(a), this.catalog, 300,
                    CALL_BOUND.toNanos());
            traffic.start(6);
            awaitMoreReads(traffic, 500);

            cluster.masters().get(0).kill();
            cluster.awaitStable(Duration.ofSeconds(30));
            awaitMoreReads(traffic, 500);

            for (long id = 1; id <= 20; id++) {
                FaultyCatalog.Product update = this.catalog.update(id);
                products(a).put(id, update);
                long key = id;
                // The writer keeps writing: B must see this version or a later one.
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> service(b).find(key).version() >= update.version());
            }
            traffic.stop();

            assertThat(traffic.failures()).as("failed calls").isEmpty();
            assertThat(traffic.slowCalls()).as("calls slower than %s (slowest: %d ms)", CALL_BOUND,
                    traffic.slowestMillis()).isEmpty();
        }));
    }

    private static void awaitMoreReads(FaultTraffic traffic, long reads) {
        long target = traffic.reads() + reads;
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic.reads() >= target);
    }
}
