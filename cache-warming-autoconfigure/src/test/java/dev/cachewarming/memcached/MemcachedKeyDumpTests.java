package dev.cachewarming.memcached;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;
import dev.cachewarming.warming.SpaceSavingSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The LRU-crawler key dump, the replacement-node copy and the CAS-merged hot-key store, against real Memcached
 * servers.
 */
@ExtendWith(MemcachedServerExtension.class)
class MemcachedKeyDumpTests {

    private final MemcachedKeys keys = new MemcachedKeys("cache-warming");

    private MemcachedCommandRunner runner;

    private MemcachedServer server;

    @BeforeEach
    void connect(MemcachedServer memcached) throws Exception {
        this.server = memcached;
        this.runner = runner(memcached);
    }

    private static MemcachedCommandRunner runner(MemcachedServer memcached) throws Exception {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(List.of(
                new InetSocketAddress(memcached.host(), memcached.port())));
        return new MemcachedCommandRunner(builder.build(), Duration.ofSeconds(2), CircuitBreaker.ofDefaults("test"));
    }

    @AfterEach
    void close() {
        this.runner.close();
    }

    private MemcachedSecondLevel tier() {
        return new MemcachedSecondLevel(this.runner, this.keys, InvalidationChannel.NONE, dump(),
                Clock.systemUTC());
    }

    private MemcachedKeyDump dump() {
        return new MemcachedKeyDump(this.runner::servers, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void listsTheKeysOfOneCacheMostRecentlyReadFirstAndSkipsHashedOnes() {
        MemcachedSecondLevel tier = tier();
        tier.set("products", "1", bytes("one"), 60_000);
        tier.set("products", "[\"a b\",\"é\"]", bytes("two"), 60_000);
        tier.set("products", "x".repeat(300), bytes("hashed"), 60_000);
        tier.set("prices", "1", bytes("other cache"), 60_000);
        // Memcached's clock ticks once a second: key 1 is read until its last access is a tick after the others'.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tier.get("products", "1");
            return dump().cacheKeys(this.keys, "products", 100).get(0).equals("1");
        });

        List<String> found = dump().cacheKeys(this.keys, "products", 100);

        assertThat(found).containsExactly("1", "[\"a b\",\"é\"]");
    }

    @Test
    void copiesANodesItemsToItsReplacementWithWhatIsLeftOfTheirExpiry() throws Exception {
        MemcachedSecondLevel tier = tier();
        for (int i = 0; i < 2500; i++) {
            tier.set("products", Integer.toString(i), bytes("value " + i), 600_000);
        }
        this.server.set("unrelated", "not ours");
        this.server.set("cache-warming:products:preset", "the replacement's own");
        MemcachedServer replacement = MemcachedServer.startOnFreePort();
        try {
            replacement.set("cache-warming:products:7", "newer on the replacement");

            ReplacementNodeWarmer.Copy copy = new ReplacementNodeWarmer(Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Clock.systemUTC()).copy(new InetSocketAddress(this.server.host(), this.server.port()),
                            new InetSocketAddress(replacement.host(), replacement.port()), "cache-warming:", 1000);

            assertThat(copy.listed()).isEqualTo(2501);
            assertThat(replacement.get("cache-warming:products:2499")).isEqualTo("value 2499");
            assertThat(replacement.get("cache-warming:products:7")).as("add keeps what the target holds")
                .isEqualTo("newer on the replacement");
            assertThat(replacement.get("unrelated")).isNull();
            List<Long> left = new ArrayList<>();
            new MemcachedKeyDump(List::of, Duration.ofSeconds(1), Duration.ofSeconds(5)).dump(
                    new InetSocketAddress(replacement.host(), replacement.port()), (item) -> {
                        if (item.key().equals("cache-warming:products:1")) {
                            left.add(item.expiresAt() - System.currentTimeMillis() / 1000);
                        }
                    });
            assertThat(left).singleElement().satisfies((seconds) -> assertThat(seconds).isBetween(590L, 602L));
        }
        finally {
            replacement.close();
        }
    }

    @Test
    void hotKeyCountsOfConcurrentSaversAddUp() throws Exception {
        MemcachedHotKeyStore store = new MemcachedHotKeyStore(this.runner, this.keys, ValueJson.defaults());
        int savers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(savers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> saves = new ArrayList<>();
            for (int i = 0; i < savers; i++) {
                String own = "only-" + i;
                saves.add(threads.submit(() -> {
                    start.await();
                    store.save("products", List.of(new SpaceSavingSummary.Counted<>("shared", 10, 0),
                            new SpaceSavingSummary.Counted<>(own, 1, 0)), 1.0, 100);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> save : saves) {
                save.get();
            }
        }
        finally {
            threads.shutdownNow();
        }

        List<SpaceSavingSummary.Counted<String>> loaded = store.load("products", 100);

        assertThat(loaded).hasSize(savers + 1);
        assertThat(loaded.get(0).key()).isEqualTo("shared");
        assertThat(loaded.get(0).count()).as("every saver's 10 counted once").isEqualTo(10.0 * savers);
    }

    @Test
    void savedCountsDecayAndTheMostCountedAreKept() {
        MemcachedHotKeyStore store = new MemcachedHotKeyStore(this.runner, this.keys, ValueJson.defaults());
        store.save("products", List.of(new SpaceSavingSummary.Counted<>("old", 100, 0)), 0.5, 2);
        store.save("products", List.of(new SpaceSavingSummary.Counted<>("new", 60, 0),
                new SpaceSavingSummary.Counted<>("rare", 1, 0)), 0.5, 2);

        assertThat(store.load("products", 10)).extracting(SpaceSavingSummary.Counted::key).containsExactly("new",
                "old");
        assertThat(store.load("products", 10).get(1).count()).isEqualTo(50.0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
