package dev.cachewarming.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;

/**
 * Warms a replacement Memcached node from a node that holds the data, as Netflix's EVCache warmer fills a new
 * node from a replica: the source's keys are listed with the LRU crawler ({@link MemcachedKeyDump}), read in
 * batches (multi-get) and added to the target with what is left of their expiry.
 *
 * <p>Values are copied as bytes, whatever wrote them, under the same keys; {@code add} never replaces a value the
 * target already holds (one written since it joined is newer). Items that expire meanwhile are skipped.
 *
 * <pre>{@code
 * ReplacementNodeWarmer warmer = new ReplacementNodeWarmer(Duration.ofSeconds(1), Duration.ofSeconds(5), Clock.systemUTC());
 * ReplacementNodeWarmer.Copy copy = warmer.copy(new InetSocketAddress("cache-a", 11211),
 *         new InetSocketAddress("cache-a-new", 11211), "cache-warming:", 1000);
 * }</pre>
 */
public final class ReplacementNodeWarmer {

    private final Duration connectTimeout;

    private final Duration commandTimeout;

    private final Clock clock;

    /**
     * @param connectTimeout how long connecting to a node may take
     * @param commandTimeout how long one batch may take
     * @param clock the wall clock, to compute what is left of each expiry
     */
    public ReplacementNodeWarmer(Duration connectTimeout, Duration commandTimeout, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.commandTimeout = commandTimeout;
        this.clock = clock;
    }

    /**
     * Copies the items of one node whose keys begin with a prefix to another node.
     * @param source the node that holds the data
     * @param target the node to warm
     * @param keyPrefix how the keys to copy begin, e.g. {@code cache-warming:} for every cache ({@code ""} for all
     * items)
     * @param batchSize keys per multi-get
     * @return what was copied
     * @throws MemcachedTierException if a node cannot be read or written
     */
    public Copy copy(InetSocketAddress source, InetSocketAddress target, String keyPrefix, int batchSize) {
        MemcachedKeyDump dump = new MemcachedKeyDump(() -> List.of(source), this.connectTimeout, this.commandTimeout);
        Map<String, Long> expiries = new LinkedHashMap<>();
        dump.dump(source, (item) -> {
            if (item.key().startsWith(keyPrefix)) {
                expiries.put(item.key(), item.expiresAt());
            }
        });
        long timeout = this.commandTimeout.toMillis();
        MemcachedClient from = connect(source);
        MemcachedClient to = connect(target);
        long copied = 0;
        long gone = 0;
        try {
            List<String> keys = new ArrayList<>(expiries.keySet());
            for (int start = 0; start < keys.size(); start += batchSize) {
                List<String> batch = keys.subList(start, Math.min(keys.size(), start + batchSize));
                Map<String, byte[]> values = from.get(batch, timeout, BytesTranscoder.INSTANCE);
                long nowSeconds = this.clock.millis() / 1000;
                for (String key : batch) {
                    byte[] value = (values != null) ? values.get(key) : null;
                    long expiresAt = expiries.get(key);
                    if (value == null || (expiresAt >= 0 && expiresAt <= nowSeconds + 1)) {
                        gone++;
                        continue;
                    }
                    to.addWithNoReply(key, expiry(expiresAt, nowSeconds), value, BytesTranscoder.INSTANCE);
                    copied++;
                }
                // A reply after the adds on the same connection: they have been applied when it comes.
                to.getVersions(timeout);
            }
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new MemcachedTierException("Copying " + source + " to " + target + " failed after " + copied
                    + " items: " + ex.getMessage(), ex);
        }
        finally {
            shutdown(from);
            shutdown(to);
        }
        return new Copy(expiries.size(), copied, gone);
    }

    /** An absolute expiry as Memcached's argument: seconds from now up to 30 days, the Unix time beyond. */
    static int expiry(long expiresAt, long nowSeconds) {
        if (expiresAt < 0) {
            return 0;
        }
        long left = expiresAt - nowSeconds;
        return (int) ((left <= MemcachedTtl.RELATIVE_LIMIT_SECONDS) ? left : expiresAt);
    }

    private MemcachedClient connect(InetSocketAddress node) {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(List.of(
                node.isUnresolved() ? new InetSocketAddress(node.getHostString(), node.getPort()) : node));
        builder.setConnectTimeout(this.connectTimeout.toMillis());
        builder.setOpTimeout(this.commandTimeout.toMillis());
        try {
            return builder.build();
        }
        catch (IOException ex) {
            throw new MemcachedTierException("Cannot connect to Memcached at " + node, ex);
        }
    }

    private static void shutdown(MemcachedClient client) {
        try {
            client.shutdown();
        }
        catch (IOException ex) {
            // Closing: nothing left to do with it.
        }
    }

    /**
     * What a copy did.
     *
     * @param listed items of the source whose keys matched
     * @param copied items added to the target (where it held none already)
     * @param skipped items gone or about to expire by the time they were read
     */
    public record Copy(long listed, long copied, long skipped) {
    }
}
