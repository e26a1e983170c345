package dev.cachewarming.redis.write;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessages;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.redis.RedisCommandRunner;
import dev.cachewarming.write.WriteBehindLog;

/**
 * The write-behind log as one Redis Stream per cache ({@code <prefix>:write-behind:<cache>}) read by the consumer
 * group {@code cache-warming}, with a dead-letter stream beside it ({@code ...:dead}).
 *
 * <p>One instance at a time flushes a cache ({@code ...:flusher} holds its consumer name, with a TTL of
 * {@code claim-min-idle}, renewed while it flushes), so that the entries of a key reach the writer in order.
 *
 * <p>Entries are {@code k} (the encoded key) and {@code v} (the value's JSON); acknowledged entries are deleted
 * ({@code XACK} then {@code XDEL}), so the stream's length is the number of entries not yet written and its first
 * entry the oldest. Entries pending under a consumer that stopped are taken over with {@code XAUTOCLAIM}.
 * Durability is Redis's: entries survive a restart only with AOF or RDB persistence, and a failover may lose the
 * last writes acknowledged by the old primary. Thread-safe.
 */
public final class RedisStreamWriteBehindLog implements WriteBehindLog {

    private static final Log logger = LogFactory.getLog(RedisStreamWriteBehindLog.class);

    static final byte[] GROUP = bytes("cache-warming");

    private static final byte[] KEY = bytes("k");

    private static final byte[] VALUE = bytes("v");

    private static final byte[] REASON = bytes("reason");

    private static final byte[] ORIGINAL_ID = bytes("id");

    /** Takes the flusher's right when free, renews it for its holder: {@code 1} held by ARGV[1], else {@code 0}. */
    private static final byte[] LEAD = bytes("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not holder then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """);

    /** Deletes the flusher's right only if ARGV[1] holds it. */
    private static final byte[] RESIGN = bytes("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    private final RedisCommandRunner redis;

    private final String prefix;

    private final Set<String> groupsCreated = ConcurrentHashMap.newKeySet();

    /**
     * @param redis runs the commands
     * @param prefix the namespace of the streams, e.g. {@code cache-warming}
     */
    public RedisStreamWriteBehindLog(RedisCommandRunner redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /**
     * @param cache a cache name
     * @return its stream's key
     */
    public String streamKey(String cache) {
        return this.prefix + ":write-behind:" + cache;
    }

    /**
     * @param cache a cache name
     * @return its dead-letter stream's key
     */
    public String deadLetterKey(String cache) {
        return streamKey(cache) + ":dead";
    }

    @Override
    public String append(String cache, String key, byte[] value) {
        byte[] stream = stream(cache);
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        body.put(KEY, bytes(key));
        body.put(VALUE, value);
        return this.redis.execute((commands) -> commands.xadd(stream, body));
    }

    @Override
    public List<Entry> read(String cache, String consumer, int count) {
        byte[] stream = ensureGroup(cache);
        List<StreamMessage<byte[], byte[]>> messages = guarded(cache, () -> this.redis.execute((commands) -> commands
            .xreadgroup(Consumer.from(GROUP, bytes(consumer)), XReadArgs.Builder.count(count),
                    XReadArgs.StreamOffset.lastConsumed(stream))));
        return entries(cache, messages);
    }

    @Override
    public List<Entry> claim(String cache, String consumer, Duration minIdle, int count) {
        byte[] stream = ensureGroup(cache);
        ClaimedMessages<byte[], byte[]> claimed = guarded(cache, () -> this.redis.execute((commands) -> commands
            .xautoclaim(stream, XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, bytes(consumer)), minIdle,
                    "0-0").count(count))));
        return entries(cache, claimed.getMessages());
    }

    @Override
    public long pending(String cache) {
        byte[] stream = ensureGroup(cache);
        PendingMessages summary = guarded(cache,
                () -> this.redis.execute((commands) -> commands.xpending(stream, GROUP)));
        return summary.getCount();
    }

    @Override
    public void ack(String cache, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        byte[] stream = stream(cache);
        String[] all = ids.toArray(new String[0]);
        this.redis.executeAll((commands) -> List.of(commands.xack(stream, GROUP, all), commands.xdel(stream, all)));
    }

    @Override
    public void deadLetter(String cache, List<Entry> entries, String reason) {
        byte[] dead = bytes(deadLetterKey(cache));
        byte[] why = bytes(reason);
        this.redis.executeAll((commands) -> {
            List<io.lettuce.core.RedisFuture<String>> added = new ArrayList<>();
            for (Entry entry : entries) {
                Map<byte[], byte[]> body = new LinkedHashMap<>();
                body.put(KEY, bytes(entry.key()));
                body.put(VALUE, entry.value());
                body.put(ORIGINAL_ID, bytes(entry.id()));
                body.put(REASON, why);
                added.add(commands.xadd(dead, body));
            }
            return added;
        });
        ack(cache, entries.stream().map(Entry::id).toList());
    }

    @Override
    public boolean lead(String cache, String consumer, Duration ttl) {
        byte[][] keys = { bytes(streamKey(cache) + ":flusher") };
        byte[][] args = { bytes(consumer), bytes(Long.toString(Math.max(1, ttl.toMillis()))) };
        Long held = this.redis
            .execute((commands) -> commands.<Long>eval(LEAD, io.lettuce.core.ScriptOutputType.INTEGER, keys, args));
        return held != null && held == 1L;
    }

    @Override
    public void resign(String cache, String consumer) {
        byte[][] keys = { bytes(streamKey(cache) + ":flusher") };
        byte[][] args = { bytes(consumer) };
        this.redis.execute((commands) -> commands.<Long>eval(RESIGN, io.lettuce.core.ScriptOutputType.INTEGER, keys,
                args));
    }

    @Override
    public Status status(String cache, long nowMillis) {
        byte[] stream = stream(cache);
        byte[] dead = bytes(deadLetterKey(cache));
        long depth = this.redis.execute((commands) -> commands.xlen(stream));
        long deadLetters = this.redis.execute((commands) -> commands.xlen(dead));
        if (depth == 0) {
            return new Status(0, 0, 0, deadLetters);
        }
        long pending;
        try {
            PendingMessages summary = this.redis.execute((commands) -> commands.xpending(stream, GROUP));
            pending = summary.getCount();
        }
        catch (RuntimeException ex) {
            pending = 0; // no group yet: nothing was read
        }
        List<StreamMessage<byte[], byte[]>> oldest = this.redis
            .execute((commands) -> commands.xrange(stream, Range.create("-", "+"), Limit.create(0, 1)));
        double lag = oldest.isEmpty() ? 0 : Math.max(0, nowMillis - idMillis(oldest.get(0).getId())) / 1000.0;
        return new Status(depth, pending, lag, deadLetters);
    }

    private byte[] ensureGroup(String cache) {
        byte[] stream = stream(cache);
        if (!this.groupsCreated.contains(cache)) {
            try {
                this.redis.execute((commands) -> commands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"),
                        GROUP, XGroupCreateArgs.Builder.mkstream()));
            }
            catch (RuntimeException ex) {
                if (!String.valueOf(rootMessage(ex)).contains("BUSYGROUP")) {
                    throw ex;
                }
            }
            this.groupsCreated.add(cache);
        }
        return stream;
    }

    /** A stream deleted (or a Redis emptied) since the group was made: made again on the next call. */
    private <T> T guarded(String cache, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RuntimeException ex) {
            if (String.valueOf(rootMessage(ex)).contains("NOGROUP")) {
                this.groupsCreated.remove(cache);
            }
            throw ex;
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable current = ex;
        StringBuilder messages = new StringBuilder();
        while (current != null) {
            messages.append(current.getMessage()).append(' ');
            current = current.getCause();
        }
        return messages.toString();
    }

    /**
     * The entries of the messages read; a message without a key or a value (not written by this library) cannot
     * be written by anyone: it goes to the dead-letter stream at once, rather than staying pending for ever.
     */
    private List<Entry> entries(String cache, List<StreamMessage<byte[], byte[]>> messages) {
        List<Entry> entries = new ArrayList<>(messages.size());
        List<StreamMessage<byte[], byte[]>> malformed = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> message : messages) {
            byte[] key = null;
            byte[] value = null;
            // The body's keys are byte arrays (identity hash): compared by content.
            Map<byte[], byte[]> body = message.getBody();
            for (Map.Entry<byte[], byte[]> field : (body != null) ? body.entrySet()
                    : Map.<byte[], byte[]>of().entrySet()) {
                if (Arrays.equals(field.getKey(), KEY)) {
                    key = field.getValue();
                }
                else if (Arrays.equals(field.getKey(), VALUE)) {
                    value = field.getValue();
                }
            }
            if (key != null && value != null) {
                entries.add(new Entry(message.getId(), new String(key, StandardCharsets.UTF_8), value));
            }
            else {
                malformed.add(message);
            }
        }
        if (!malformed.isEmpty()) {
            deadLetterMalformed(cache, malformed);
        }
        return entries;
    }

    private void deadLetterMalformed(String cache, List<StreamMessage<byte[], byte[]>> malformed) {
        logger.warn("Moving " + malformed.size() + " malformed entr" + ((malformed.size() == 1) ? "y" : "ies")
                + " of the write-behind stream of cache '" + cache + "' (no 'k' or no 'v' field) to "
                + deadLetterKey(cache));
        byte[] dead = bytes(deadLetterKey(cache));
        byte[] why = bytes("malformed entry: a write-behind entry has a 'k' and a 'v' field");
        this.redis.executeAll((commands) -> {
            List<io.lettuce.core.RedisFuture<String>> added = new ArrayList<>();
            for (StreamMessage<byte[], byte[]> message : malformed) {
                Map<byte[], byte[]> body = new LinkedHashMap<>();
                if (message.getBody() != null) {
                    body.putAll(message.getBody());
                }
                body.put(ORIGINAL_ID, bytes(message.getId()));
                body.put(REASON, why);
                added.add(commands.xadd(dead, body));
            }
            return added;
        });
        ack(cache, malformed.stream().map(StreamMessage::getId).toList());
    }

    private static long idMillis(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong((dash < 0) ? id : id.substring(0, dash));
    }

    private byte[] stream(String cache) {
        return bytes(streamKey(cache));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
