package dev.cachewarming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cachewarming.redis.write.RedisDumpStore;
import dev.cachewarming.tools.DumpConnection;
import dev.cachewarming.tools.DumpConnections;
import dev.cachewarming.tools.DumpEntry;

/** The application's Redis (its Lettuce connection factory) as the store of the {@code cachedumps} endpoint. */
final class RedisDumpConnections implements DumpConnections {

    private final RedisConnectionFactory connectionFactory;

    private final String prefix;

    private final Duration timeout;

    RedisDumpConnections(RedisConnectionFactory connectionFactory, String prefix, Duration timeout) {
        this.connectionFactory = connectionFactory;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    @Override
    @SuppressWarnings("unchecked")
    public DumpConnection open() {
        RedisConnection connection = this.connectionFactory.getConnection();
        if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands)) {
            connection.close();
            throw new IllegalStateException("Dumps need Lettuce (Spring Boot's default Redis client)");
        }
        RedisDumpStore store = new RedisDumpStore((RedisClusterAsyncCommands<byte[], byte[]>) commands, this.prefix,
                this.timeout);
        return new DumpConnection() {

            @Override
            public void readAll(String cache, int batchSize, Consumer<List<DumpEntry>> batches) {
                store.readAll(cache, batchSize, batches);
            }

            @Override
            public int writeAll(String cache, List<DumpEntry> entries) {
                return store.writeAll(cache, entries);
            }

            @Override
            public String name() {
                return "application-" + RedisDumpConnections.this.prefix;
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }
}
