package dev.cachewarming.stampede;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.memcached.MemcachedLeaseRegistry;
import dev.cachewarming.redis.RedisPubSubInvalidationChannel;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @StampedeProtected} on Memcached leases, with real threads, a real Memcached and several application
 * contexts ("instances"): without an invalidation channel (waiters find the released lease by reading it), and with
 * Redis pub/sub as the channel.
 */
@ExtendWith({ MemcachedServerExtension.class, RedisServerExtension.class })
class MemcachedStampedeProtectionTests {

    private final SlowCatalog catalog = new SlowCatalog();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void release() {
        this.catalog.openGate();
        this.threads.shutdownNow();
    }

    private ApplicationContextRunner instance(MemcachedServer memcached, String... properties) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class))
            .withPropertyValues("cache-warming.memcached.servers=" + memcached.address())
            .withPropertyValues(properties)
            .withBean(SlowCatalog.Service.class, () -> new SlowCatalog.Service(this.catalog));
    }

    private ApplicationContextRunner instanceWithRedis(MemcachedServer memcached, RedisServer redis) {
        return instance(memcached, "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
            .withConfiguration(AutoConfigurations.of(classForName(
                    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")));
    }

    private static SlowCatalog.Service service(AssertableApplicationContext context) {
        return context.getBean(SlowCatalog.Service.class);
    }

    private static TieredCache slowCache(AssertableApplicationContext context) {
        return context.getBean(TieredCacheRegistry.class).find("slow");
    }

    @Test
    void concurrentMissesAcrossThreeInstancesLoadOnceWithRedisAsTheChannel(MemcachedServer memcached,
            RedisServer redis) {
        instanceWithRedis(memcached, redis).run((a) -> instanceWithRedis(memcached, redis).run(
                (b) -> instanceWithRedis(memcached, redis).run((c) -> {
                    assertThat(a.getBean(InvalidationChannel.class)).isInstanceOf(RedisPubSubInvalidationChannel.class);
                    assertThat(a.getBean(dev.cachewarming.cache.SecondLevel.class))
                        .isInstanceOf(dev.cachewarming.memcached.MemcachedSecondLevel.class);
                    threeInstancesLoadOnce(a, b, c, "k2");
                })));
    }

    private void threeInstancesLoadOnce(AssertableApplicationContext a, AssertableApplicationContext b,
            AssertableApplicationContext c, String key) throws Exception {
        this.catalog.closeGate();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (AssertableApplicationContext context : List.of(a, b, c)) {
            for (int i = 0; i < 200; i++) {
                SlowCatalog.Service service = service(context);
                results.add(this.threads.submit(() -> {
                    start.await();
                    return service.product(key);
                }));
            }
        }

        start.countDown();
        assertThat(this.catalog.awaitLoadStarted()).isTrue();
        // Every caller is waiting: 199 per instance on its own flight, and two flight leaders on the lease.
        await().atMost(Duration.ofSeconds(20)).until(() -> slowCache(a).coalescedLoads()
                + slowCache(b).coalescedLoads() + slowCache(c).coalescedLoads() == 597
                && slowCache(a).stats().leasesLost() + slowCache(b).stats().leasesLost()
                        + slowCache(c).stats().leasesLost() >= 2);
        this.catalog.openGate();

        for (Future<String> result : results) {
            assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(key + ":v1");
        }
        assertThat(this.catalog.loads()).as("loads across 600 callers on 3 instances").isEqualTo(1);
        assertThat(slowCache(a).stats().leasesAcquired() + slowCache(b).stats().leasesAcquired()
                + slowCache(c).stats().leasesAcquired()).isEqualTo(1);
        assertThat(slowCache(a).stats().waitTimeouts() + slowCache(b).stats().waitTimeouts()
                + slowCache(c).stats().waitTimeouts()).as("waiters woken, not timed out").isZero();
    }

    @Test
    void leaseOfAHolderThatStopsRenewingExpiresAndAnotherInstanceLoads(MemcachedServer memcached) {
        String[] settings = { "cache-warming.stampede.lease-ttl=1s", "cache-warming.stampede.wait-timeout=20s",
                "cache-warming.memcached.command-timeout=3s" };
        instance(memcached, settings).run((holder) -> instance(memcached, settings).run((other) -> {
            this.catalog.closeGate();
            Future<String> stuck = this.threads.submit(() -> service(holder).product("k3"));
            assertThat(this.catalog.awaitLoadStarted()).isTrue();
            String leaseKey = "cache-warming::lease:slow:k3";
            String deadToken = memcached.get(leaseKey);
            assertThat(deadToken).startsWith("t:");

            // The holder "dies": its lease is neither renewed nor released from now on, its load never ends.
            holder.getBean(MemcachedLeaseRegistry.class).close();
            CountDownLatch stuckGate = this.catalog.openGateForNewLoadsOnly();
            AtomicReference<String> leaseTokenWhenLoading = new AtomicReference<>();
            this.catalog.beforeLoad(() -> leaseTokenWhenLoading.set(memcached.get(leaseKey)));

            assertThat(service(other).product("k3")).isEqualTo("k3:v1");

            assertThat(leaseTokenWhenLoading.get()).as("the takeover loaded under its own lease")
                .startsWith("t:")
                .isNotEqualTo(deadToken);
            assertThat(slowCache(other).stats().leasesExpired()).isEqualTo(1);
            assertThat(this.catalog.loads()).isEqualTo(2);
            assertThat(stuck.isDone()).as("the dead holder's load is still stuck").isFalse();
            stuckGate.countDown();
            stuck.get(10, TimeUnit.SECONDS);
        }));
    }

    @Test
    void releasedLeaseCanBeTakenAgainAndAStaleHolderCannotReleaseANewOne(MemcachedServer memcached) {
        instance(memcached).run((a) -> instance(memcached).run((b) -> {
            LeaseRegistry leasesA = a.getBean(LeaseRegistry.class);
            LeaseRegistry leasesB = b.getBean(LeaseRegistry.class);

            LeaseRegistry.Lease first = leasesA.tryAcquire("slow", "k8", Duration.ofSeconds(10));
            assertThat(first).isNotNull();
            assertThat(leasesB.tryAcquire("slow", "k8", Duration.ofSeconds(10))).as("held by A").isNull();

            first.release();
            LeaseRegistry.Lease second = leasesB.tryAcquire("slow", "k8", Duration.ofSeconds(10));
            assertThat(second).as("the released marker is taken over at once").isNotNull();
            String tokenOfB = memcached.get("cache-warming::lease:slow:k8");

            first.release();
            assertThat(memcached.get("cache-warming::lease:slow:k8")).as("A's second release changes nothing")
                .isEqualTo(tokenOfB);
            assertThat(leasesA.tryAcquire("slow", "k8", Duration.ofSeconds(10))).isNull();
            second.release();
        }));
    }

    private static Class<?> classForName(String name) {
        try {
            return Class.forName(name);
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
