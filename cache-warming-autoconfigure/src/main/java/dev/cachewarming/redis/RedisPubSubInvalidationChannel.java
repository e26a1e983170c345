package dev.cachewarming.redis;

import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.cache.InvalidationChannel;
import dev.cachewarming.cache.ValueJson;

/**
 * Redis pub/sub as the invalidation channel of another shared tier (Memcached): the same messages, on the same
 * channels, as the Redis tier publishes with its own writes, so {@link RedisInvalidationSubscriber} on every
 * instance hears them. Sent after the write, not pipelined with it; a message that cannot be sent is lost (counted
 * against Redis's circuit breaker), and the copies it would have dropped expire with {@code l1-ttl}.
 */
public final class RedisPubSubInvalidationChannel implements InvalidationChannel {

    private static final Log logger = LogFactory.getLog(RedisPubSubInvalidationChannel.class);

    private final RedisCommandRunner redis;

    private final ValueJson json;

    private final Supplier<String> instanceId;

    private final byte[] channel;

    private final byte[] batchChannel;

    /**
     * @param redis runs the commands
     * @param keys names the channels
     * @param json writes the messages
     * @param instanceId this instance's id, the one its {@link RedisInvalidationSubscriber} ignores (asked for at
     * each message, so the subscriber, which needs the caches this channel serves, can be created after it)
     */
    public RedisPubSubInvalidationChannel(RedisCommandRunner redis, RedisKeys keys, ValueJson json,
            Supplier<String> instanceId) {
        this.redis = redis;
        this.json = json;
        this.instanceId = instanceId;
        this.channel = RedisKeys.bytes(keys.invalidationChannel());
        this.batchChannel = RedisKeys.bytes(keys.batchInvalidationChannel());
    }

    @Override
    public void keyChanged(String cache, String encodedKey) {
        publish(this.channel, new InvalidationMessage(this.instanceId.get(), cache, encodedKey, null));
    }

    @Override
    public void keysWarmed(String cache, List<String> encodedKeys) {
        publish(this.batchChannel, new InvalidationMessage(this.instanceId.get(), cache, null, encodedKeys, null));
    }

    @Override
    public void cacheCleared(String cache) {
        publish(this.channel, new InvalidationMessage(this.instanceId.get(), cache, null, null));
    }

    @Override
    public void leaseReleased(String cache, String encodedKey) {
        publish(this.channel,
                new InvalidationMessage(this.instanceId.get(), cache, encodedKey, InvalidationMessage.LEASE_RELEASED));
    }

    private void publish(byte[] to, InvalidationMessage message) {
        if (!this.redis.isAvailable()) {
            return;
        }
        byte[] bytes = this.json.writeBytes(message);
        try {
            this.redis.execute((redis) -> redis.publish(to, bytes));
        }
        catch (RuntimeException ex) {
            logger.debug("Could not publish an invalidation of cache '" + message.c() + "'", ex);
        }
    }

    @Override
    public boolean reachesOtherInstances() {
        return true;
    }

    @Override
    public String describe() {
        return "redis-pubsub";
    }
}
