package dev.cachewarming.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes a whole batch of values with one Redis command: a Lua script that runs {@code SET key value PX ttl [NX]}
 * for each key and answers which keys it stored.
 *
 * <p>Against a pipeline of one {@code SET} per key this spares the client a command object, an argument list, a
 * reply and a future per key, and the connection's I/O thread the encoding and decoding of a thousand commands per
 * batch: that thread is shared by every Redis call of the application. Redis runs the script as one step (a
 * thousand {@code SET}s take about a millisecond), as it would run a pipeline read in one go.
 *
 * <p>Not used on Redis Cluster, where a script may only touch keys of one hash slot and a batch spans many (known
 * from the connection factory's configuration, or from the first {@code CROSSSLOT} reply), nor after the server
 * refused the script once (scripting disabled, an ACL without {@code EVAL}): the caller then pipelines. Thread-safe.
 */
final class ScriptedMultiSet {

    private static final Log logger = LogFactory.getLog(ScriptedMultiSet.class);

    /**
     * ARGV holds, per key, its value and its TTL in milliseconds; a TTL that begins with {@code +} is written
     * whatever the key holds, any other only where the key holds nothing ({@code NX}). Answers one character per
     * key: {@code 1} stored, {@code 0} kept the value Redis had.
     */
    static final String SCRIPT = """
            local written = {}
            for i = 1, #KEYS do
              local ttl = ARGV[2 * i]
              local stored
              if string.byte(ttl, 1) == 43 then
                stored = redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', string.sub(ttl, 2))
              else
                stored = redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ttl, 'NX')
              end
              written[i] = stored and '1' or '0'
            end
            return table.concat(written)
            """;

    private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);

    private static final byte STORED = '1';

    private volatile boolean refused;

    /**
     * @param enabled whether to write batches with the script at all ({@code cache-warming.redis.batch-writes})
     */
    ScriptedMultiSet(boolean enabled) {
        this.refused = !enabled;
    }

    /**
     * @param redis the runner the batch would go through
     * @return whether batches are written with the script: not on Redis Cluster, and not after a refusal
     */
    boolean isUsable(RedisCommandRunner redis) {
        return !this.refused && !redis.isCluster();
    }

    /**
     * @param redis runs the command
     * @param keys the Redis keys
     * @param values their values, in order
     * @param ttlMillis their TTLs, in order
     * @param onlyIfAbsent per key, whether it is written only where Redis holds nothing
     * @return per key, whether it was stored; {@code null} if Redis refused to run the script (nothing written)
     * @throws RedisTierException if Redis failed or timed out (the writes may or may not have happened)
     */
    boolean[] setAll(RedisCommandRunner redis, byte[][] keys, List<byte[]> values, long[] ttlMillis,
            boolean[] onlyIfAbsent) {
        byte[][] arguments = new byte[keys.length * 2][];
        for (int i = 0; i < keys.length; i++) {
            arguments[2 * i] = values.get(i);
            if (i > 0 && ttlMillis[i] == ttlMillis[i - 1] && onlyIfAbsent[i] == onlyIfAbsent[i - 1]) {
                // The keys of a batch mostly share one TTL: Lettuce only reads the argument, so it can be shared.
                arguments[2 * i + 1] = arguments[2 * i - 1];
            }
            else {
                String ttl = Long.toString(ttlMillis[i]);
                arguments[2 * i + 1] = (onlyIfAbsent[i] ? ttl : "+" + ttl).getBytes(StandardCharsets.US_ASCII);
            }
        }
        byte[] flags;
        try {
            flags = redis.<byte[]>executeBatch(keys.length,
                    (commands) -> List.of(commands.eval(SCRIPT_BYTES, ScriptOutputType.VALUE, keys, arguments)))
                .get(0);
        }
        catch (RedisTierException ex) {
            if (ex.getCause() instanceof RedisCommandExecutionException refusal && isRefusal(refusal)) {
                if (String.valueOf(refusal.getMessage()).startsWith("CROSSSLOT")) {
                    // A cluster the factory's configuration did not reveal (a user's own factory).
                    redis.clusterSeen();
                }
                // Refused before running: nothing was written, and the caller pipelines this batch instead.
                this.refused = true;
                logger.warn("Redis refused the batch write script (" + refusal.getMessage()
                        + "); writing batches as pipelines of SET commands from now on");
                return null;
            }
            throw ex;
        }
        boolean[] written = new boolean[keys.length];
        for (int i = 0; i < written.length; i++) {
            written[i] = flags != null && i < flags.length && flags[i] == STORED;
        }
        return written;
    }

    /**
     * A server that will never run the script, as opposed to one that failed while running it: scripting disabled
     * or not permitted to this user, or a cluster whose keys of one batch lie in several slots. A permission error
     * raised by a command inside the script (its message names the script) is a failure of this batch, not a
     * refusal: the same user may lack the right to write these keys with a pipeline too.
     */
    static boolean isRefusal(RedisCommandExecutionException ex) {
        String message = String.valueOf(ex.getMessage());
        if (message.contains("script:") || message.contains("@user_script")) {
            return false;
        }
        return message.startsWith("NOPERM") || message.startsWith("CROSSSLOT") || message.contains("unknown command")
                || message.contains("scripting");
    }
}
