package dev.cachewarming.autoconfigure;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.memcached.MemcachedKeyDump;
import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;

/** The shared-tier behaviour on a real Memcached, alone (no Redis: no invalidation channel). */
@ExtendWith(MemcachedServerExtension.class)
class MemcachedSharedTierBehaviourTests extends SharedTierBehaviourTests {

    private MemcachedServer memcached;

    @BeforeEach
    void server(MemcachedServer memcached) {
        this.memcached = memcached;
    }

    @Override
    protected Backend backend() {
        MemcachedServer server = this.memcached;
        return new Backend() {

            @Override
            public String name() {
                return "memcached";
            }

            @Override
            public ApplicationContextRunner instance() {
                return new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class))
                    .withPropertyValues(TestAutoConfigurations.memcachedProperties(server));
            }

            @Override
            public String keyPrefixProperty() {
                return "cache-warming.memcached.key-prefix";
            }

            @Override
            public String[] fastFailure() {
                return new String[] { "cache-warming.memcached.command-timeout=200ms",
                        "cache-warming.memcached.circuit-breaker.minimum-calls=3",
                        "cache-warming.memcached.circuit-breaker.sliding-window-size=10",
                        "cache-warming.memcached.circuit-breaker.open-duration=1s" };
            }

            @Override
            public String read(AssertableApplicationContext context, String key) {
                return server.get(key);
            }

            @Override
            public void write(AssertableApplicationContext context, String key, String value) {
                server.set(key, value);
            }

            @Override
            public long secondsToLive(AssertableApplicationContext context, String key) {
                AtomicLong expiresAt = new AtomicLong(-1);
                context.getBean(MemcachedKeyDump.class)
                    .dump(new InetSocketAddress(server.host(), server.port()), (item) -> {
                        if (item.key().equals(key)) {
                            expiresAt.set(item.expiresAt());
                        }
                    });
                return expiresAt.get() - System.currentTimeMillis() / 1000;
            }

            @Override
            public void stop() {
                server.stop();
            }

            @Override
            public void start() {
                server.start();
            }
        };
    }
}
