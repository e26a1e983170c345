package dev.cachewarming.redis;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import dev.cachewarming.cache.SecondLevel;
import dev.cachewarming.cache.ValueJson;

/**
 * The Redis tier (L2), on the application's Spring Data Redis
 * {@link org.springframework.data.redis.connection.RedisConnectionFactory} (Lettuce).
 *
 * <p>Commands run through a {@link RedisCommandRunner}: a short timeout of their own and a circuit breaker, so a
 * slow or absent Redis costs a caller at most {@code command-timeout}, and nothing while the breaker is open.
 *
 * <p>Writes and deletes are sent together with their invalidation message on one connection (pipelined).
 * Thread-safe.
 */
public final class RedisSecondLevel implements SecondLevel {

    private final RedisCommandRunner redis;

    private final RedisKeys keys;

    private final ValueJson json;

    private final String instanceId;

    private final byte[] channel;

    private final byte[] batchChannel;

    private final ScriptedMultiSet multiSet;

    /**
     * A shared tier that writes batches with one script each (where Redis allows it).
     * @param redis runs the commands
     * @param keys how entries are named
     * @param json JSON support for invalidation messages
     * @param instanceId this instance's id, sent with every invalidation
     */
    public RedisSecondLevel(RedisCommandRunner redis, RedisKeys keys, ValueJson json, String instanceId) {
        this(redis, keys, json, instanceId, true);
    }

    /**
     * @param redis runs the commands
     * @param keys how entries are named
     * @param json JSON support for invalidation messages
     * @param instanceId this instance's id, sent with every invalidation
     * @param scriptedBatches whether batches are written with one script each (where Redis allows it) rather
     * than as a pipeline of {@code SET} commands: less work for the application, a little more for Redis
     */
    public RedisSecondLevel(RedisCommandRunner redis, RedisKeys keys, ValueJson json, String instanceId,
            boolean scriptedBatches) {
        this.multiSet = new ScriptedMultiSet(scriptedBatches);
        this.redis = redis;
        this.keys = keys;
        this.json = json;
        this.instanceId = instanceId;
        this.channel = RedisKeys.bytes(keys.invalidationChannel());
        this.batchChannel = RedisKeys.bytes(keys.batchInvalidationChannel());
    }

    /** @return this instance's id, as sent with its invalidations */
    public String instanceId() {
        return this.instanceId;
    }

    /** @return the circuit breaker's state, for health and metrics */
    public CircuitBreaker.State breakerState() {
        return this.redis.breaker().getState();
    }

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public boolean isAvailable() {
        return this.redis.isAvailable();
    }

    @Override
    public byte[] get(String cache, String key) {
        return this.redis.execute((redis) -> redis.get(RedisKeys.bytes(this.keys.key(cache, key))));
    }

    @Override
    public void set(String cache, String key, byte[] value, long ttlMillis) {
        byte[] redisKey = RedisKeys.bytes(this.keys.key(cache, key));
        byte[] message = message(cache, key, null);
        this.redis.executeAll((redis) -> List.of(redis.set(redisKey, value, SetArgs.Builder.px(ttlMillis)),
                redis.publish(this.channel, message)));
    }

    @Override
    public void delete(String cache, String key) {
        byte[] redisKey = RedisKeys.bytes(this.keys.key(cache, key));
        byte[] message = message(cache, key, null);
        this.redis.executeAll((redis) -> List.of(redis.del(redisKey), redis.publish(this.channel, message)));
    }

    @Override
    public void clear(String cache) {
        ScanArgs match = ScanArgs.Builder.matches(this.keys.pattern(cache)).limit(1000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> page = this.redis.execute((redis) -> redis.scan(from, match));
            if (!page.getKeys().isEmpty()) {
                byte[][] found = page.getKeys().toArray(new byte[0][]);
                this.redis.execute((redis) -> redis.unlink(found));
            }
            cursor = page;
        }
        while (!cursor.isFinished());
        byte[] message = message(cache, null, null);
        this.redis.execute((redis) -> redis.publish(this.channel, message));
    }

    @Override
    public List<byte[]> getAll(String cache, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        byte[][] redisKeys = new byte[keys.size()][];
        for (int i = 0; i < redisKeys.length; i++) {
            redisKeys[i] = RedisKeys.bytes(this.keys.key(cache, keys.get(i)));
        }
        List<KeyValue<byte[], byte[]>> found = this.redis
            .<List<KeyValue<byte[], byte[]>>>executeBatch(redisKeys.length, (redis) -> List.of(redis.mget(redisKeys)))
            .get(0);
        List<byte[]> values = new ArrayList<>(found.size());
        for (KeyValue<byte[], byte[]> keyValue : found) {
            values.add(keyValue.hasValue() ? keyValue.getValue() : null);
        }
        return values;
    }

    @Override
    public boolean[] setAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis,
            boolean[] onlyIfAbsent) {
        return writeAll(cache, keys, values, ttlMillis, onlyIfAbsent, null);
    }

    @Override
    public void replaceAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis) {
        writeAll(cache, keys, values, ttlMillis, new boolean[keys.size()], InvalidationMessage.CHANGED);
    }

    private boolean[] writeAll(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis,
            boolean[] onlyIfAbsent, String type) {
        if (keys.isEmpty()) {
            return new boolean[0];
        }
        boolean[] written = this.multiSet.isUsable(this.redis)
                ? this.multiSet.setAll(this.redis, redisKeys(cache, keys), values, ttlMillis, onlyIfAbsent) : null;
        if (written == null) {
            written = setAllPipelined(cache, keys, values, ttlMillis, onlyIfAbsent);
        }
        List<String> changed = new ArrayList<>(keys.size());
        for (int i = 0; i < written.length; i++) {
            if (written[i]) {
                changed.add(keys.get(i));
            }
        }
        if (!changed.isEmpty()) {
            byte[] message = this.json
                .writeBytes(new InvalidationMessage(this.instanceId, cache, null, changed, type));
            try {
                this.redis.executeBatch(changed.size(), (redis) -> List.of(redis.publish(this.batchChannel, message)));
            }
            catch (RedisTierException ex) {
                // The values are stored; only peers holding an L1 copy of a key Redis had lost miss the news, and
                // their copy expires with l1-ttl.
            }
        }
        return written;
    }

    private byte[][] redisKeys(String cache, List<String> keys) {
        byte[][] redisKeys = new byte[keys.size()][];
        for (int i = 0; i < redisKeys.length; i++) {
            redisKeys[i] = RedisKeys.bytes(this.keys.key(cache, keys.get(i)));
        }
        return redisKeys;
    }

    /**
     * One {@code SET} per key, sent with one socket write: what Redis Cluster gets (a script may only touch keys of
     * one slot), and what a server that refuses scripts gets.
     */
    private boolean[] setAllPipelined(String cache, List<String> keys, List<byte[]> values, long[] ttlMillis,
            boolean[] onlyIfAbsent) {
        List<AsyncCommand<byte[], byte[], String>> commands = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                .addKey(RedisKeys.bytes(this.keys.key(cache, keys.get(i))))
                .addValue(values.get(i));
            (onlyIfAbsent[i] ? SetArgs.Builder.nx().px(ttlMillis[i]) : SetArgs.Builder.px(ttlMillis[i])).build(args);
            commands.add(new AsyncCommand<>(
                    new Command<>(CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args)));
        }
        List<String> results = this.redis.dispatchAll(commands);
        boolean[] written = new boolean[keys.size()];
        for (int i = 0; i < written.length; i++) {
            // SET answers OK when it stored the value; with NX, nothing when the key already held one.
            written[i] = "OK".equals(results.get(i));
        }
        return written;
    }

    byte[] message(String cache, String key, String type) {
        return this.json.writeBytes(new InvalidationMessage(this.instanceId, cache, key, type));
    }
}
