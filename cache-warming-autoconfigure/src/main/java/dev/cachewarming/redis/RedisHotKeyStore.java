package dev.cachewarming.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZStoreArgs;

import dev.cachewarming.warming.HotKeyStore;
import dev.cachewarming.warming.SpaceSavingSummary;

/**
 * Remembers hot keys in one Redis sorted set per cache, {@code <prefix>::hot:<cache>}, shared by every instance:
 * each adds its counts ({@code ZINCRBY}) after weighing the stored ones down ({@code ZUNIONSTORE} with a weight),
 * and the set is trimmed to the most counted. Every instance thus warms what the whole fleet found hot, recent
 * traffic weighing most. The set expires after 7 days without saves.
 */
public final class RedisHotKeyStore implements HotKeyStore {

    private static final long EXPIRE_SECONDS = 7 * 24 * 3600;

    private final RedisCommandRunner redis;

    private final String prefix;

    /**
     * @param redis runs the commands
     * @param keys names the sets
     */
    public RedisHotKeyStore(RedisCommandRunner redis, RedisKeys keys) {
        this.redis = redis;
        this.prefix = keys.prefix();
    }

    @Override
    public void save(String cache, List<SpaceSavingSummary.Counted<String>> counts, double decay, int keep) {
        byte[] key = setKey(cache);
        this.redis.executeAll((commands) -> {
            List<RedisFuture<?>> futures = new ArrayList<>();
            if (decay != 1.0) {
                futures.add(commands.zunionstore(key, ZStoreArgs.Builder.weights(decay), key));
            }
            for (SpaceSavingSummary.Counted<String> counted : counts) {
                futures.add(commands.zincrby(key, counted.count(), counted.key().getBytes(StandardCharsets.UTF_8)));
            }
            futures.add(commands.zremrangebyrank(key, 0, -(keep + 1L)));
            futures.add(commands.expire(key, EXPIRE_SECONDS));
            return futures;
        });
    }

    @Override
    public List<SpaceSavingSummary.Counted<String>> load(String cache, int limit) {
        List<ScoredValue<byte[]>> stored = this.redis.execute((commands) -> commands.zrevrangeWithScores(setKey(cache),
                0, limit - 1L));
        List<SpaceSavingSummary.Counted<String>> keys = new ArrayList<>(stored.size());
        for (ScoredValue<byte[]> value : stored) {
            keys.add(new SpaceSavingSummary.Counted<>(new String(value.getValue(), StandardCharsets.UTF_8),
                    value.getScore(), 0));
        }
        return keys;
    }

    @Override
    public String describe() {
        return "Redis sorted sets " + this.prefix + "::hot:<cache>";
    }

    private byte[] setKey(String cache) {
        return RedisKeys.bytes(this.prefix + "::hot:" + cache);
    }
}
