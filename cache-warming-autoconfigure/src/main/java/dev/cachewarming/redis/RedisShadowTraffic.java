package dev.cachewarming.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;

import dev.cachewarming.warming.ShadowTraffic;
import dev.cachewarming.warming.SpaceSavingSummary;

/**
 * Shadow traffic in one Redis Stream per cache, {@code <prefix>::stream:<cache>}, trimmed to about
 * {@code maxLength} entries. Entry ids are timestamps, so "the last window" is a range read ({@code XREVRANGE}),
 * no consumer groups and nothing to acknowledge.
 */
public final class RedisShadowTraffic implements ShadowTraffic {

    private static final byte[] FIELD = "k".getBytes(StandardCharsets.UTF_8);

    private final RedisCommandRunner redis;

    private final String prefix;

    private final long maxLength;

    /**
     * @param redis runs the commands
     * @param keys names the streams
     * @param maxLength about how many entries each stream keeps
     */
    public RedisShadowTraffic(RedisCommandRunner redis, RedisKeys keys, long maxLength) {
        this.redis = redis;
        this.prefix = keys.prefix();
        this.maxLength = maxLength;
    }

    @Override
    public void publish(String cache, List<String> encodedCalls) {
        if (encodedCalls.isEmpty() || !this.redis.isAvailable()) {
            return;
        }
        byte[] stream = stream(cache);
        XAddArgs trim = XAddArgs.Builder.maxlen(this.maxLength).approximateTrimming();
        this.redis.executeAll((commands) -> {
            List<RedisFuture<String>> futures = new ArrayList<>(encodedCalls.size());
            for (String call : encodedCalls) {
                futures.add(commands.xadd(stream, trim, Map.of(FIELD, call.getBytes(StandardCharsets.UTF_8))));
            }
            return futures;
        });
    }

    @Override
    public List<String> recent(String cache, Duration window, int limit) {
        String from = (System.currentTimeMillis() - window.toMillis()) + "-0";
        List<StreamMessage<byte[], byte[]>> messages = this.redis.execute((commands) -> commands.xrevrange(
                stream(cache), Range.create(from, "+"), Limit.create(0, this.maxLength)));
        SpaceSavingSummary<String> counts = new SpaceSavingSummary<>(Math.max(1, limit));
        for (StreamMessage<byte[], byte[]> message : messages) {
            for (Map.Entry<byte[], byte[]> field : message.getBody().entrySet()) {
                counts.add(new String(field.getValue(), StandardCharsets.UTF_8), 1);
            }
        }
        List<String> calls = new ArrayList<>();
        counts.top(limit).forEach((counted) -> calls.add(counted.key()));
        return calls;
    }

    private byte[] stream(String cache) {
        return RedisKeys.bytes(this.prefix + "::stream:" + cache);
    }
}
