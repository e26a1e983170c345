package dev.cachewarming.redis.write;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.cachewarming.tools.DumpEntry;
import dev.cachewarming.tools.DumpSource;
import dev.cachewarming.tools.PopulateTarget;

/**
 * Reads a cache's entries out of Redis for a dump ({@code SCAN MATCH <prefix>:<cache>:*}, then per page one
 * pipelined {@code GET} and {@code PTTL} per key) and writes a dump's entries back (pipelined
 * {@code SET key value PX ttl NX}: a key Redis already holds keeps its value, which is at least as new).
 *
 * <p>Works on Lettuce's asynchronous commands of a standalone or cluster connection: the CLI's own, or the
 * application's. Every round trip is bounded by {@code timeout}.
 */
public final class RedisDumpStore implements DumpSource, PopulateTarget {

    private final RedisClusterAsyncCommands<byte[], byte[]> redis;

    private final String prefix;

    private final long timeoutNanos;

    private final Runnable flush;

    /**
     * @param redis asynchronous commands with a byte-array codec
     * @param prefix the caches' key prefix, e.g. {@code cache-warming}
     * @param timeout the most one round trip may take
     */
    public RedisDumpStore(RedisClusterAsyncCommands<byte[], byte[]> redis, String prefix, Duration timeout) {
        this(redis, prefix, timeout, () -> {
        });
    }

    /**
     * For a connection of its own with auto-flush off: a batch's commands then leave in one socket write instead of
     * one each, which is most of the difference between a few thousand and a hundred thousand entries a second.
     * @param redis asynchronous commands with a byte-array codec
     * @param prefix the caches' key prefix
     * @param timeout the most one round trip may take
     * @param flush sends the commands issued so far (the connection's {@code flushCommands})
     */
    public RedisDumpStore(RedisClusterAsyncCommands<byte[], byte[]> redis, String prefix, Duration timeout,
            Runnable flush) {
        this.redis = redis;
        this.prefix = prefix;
        this.timeoutNanos = timeout.toNanos();
        this.flush = flush;
    }

    @Override
    public void readAll(String cache, int batchSize, Consumer<List<DumpEntry>> batches) {
        String keyPrefix = this.prefix + ':' + cache + ':';
        ScanArgs match = ScanArgs.Builder.matches(glob(this.prefix) + ':' + glob(cache) + ":*").limit(batchSize);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            RedisFuture<KeyScanCursor<byte[]>> scan = this.redis.scan(cursor, match);
            this.flush.run();
            KeyScanCursor<byte[]> page = await(scan);
            List<byte[]> keys = page.getKeys();
            if (!keys.isEmpty()) {
                List<RedisFuture<byte[]>> values = new ArrayList<>(keys.size());
                List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    values.add(this.redis.get(key));
                    ttls.add(this.redis.pttl(key));
                }
                this.flush.run();
                List<DumpEntry> batch = new ArrayList<>(keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    byte[] value = await(values.get(i));
                    long ttl = await(ttls.get(i));
                    // -2: gone since the scan saw it
                    if (value != null && ttl != -2) {
                        String key = new String(keys.get(i), StandardCharsets.UTF_8);
                        batch.add(new DumpEntry(key.substring(keyPrefix.length()), value, ttl));
                    }
                }
                batches.accept(batch);
            }
            cursor = page;
        }
        while (!cursor.isFinished());
    }

    @Override
    public int writeAll(String cache, List<DumpEntry> entries) {
        String keyPrefix = this.prefix + ':' + cache + ':';
        List<RedisFuture<String>> replies = new ArrayList<>(entries.size());
        for (DumpEntry entry : entries) {
            SetArgs args = (entry.ttlMillis() > 0) ? SetArgs.Builder.nx().px(entry.ttlMillis()) : SetArgs.Builder.nx();
            replies.add(this.redis.set((keyPrefix + entry.key()).getBytes(StandardCharsets.UTF_8), entry.value(),
                    args));
        }
        this.flush.run();
        int written = 0;
        for (RedisFuture<String> reply : replies) {
            if ("OK".equals(await(reply))) {
                written++;
            }
        }
        return written;
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Redis", ex);
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("Redis failed: " + ex.getCause().getMessage(), ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Redis did not answer within " + Duration.ofNanos(this.timeoutNanos), ex);
        }
    }

    private static String glob(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
