package dev.cachewarming.interceptor;

import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindLog;
import dev.cachewarming.write.WriteBehindQueues;

/**
 * What the scanner needs to set up {@code @WriteBehind} methods.
 *
 * @param interceptor receives the methods
 * @param queues receives a queue per cache
 * @param log the durable log, or {@code null} without Redis (then a {@code @WriteBehind} method fails startup)
 * @param consumer this instance's consumer name in the log
 * @param settings the flushers' settings
 * @param noLogReason why there is no log, for the startup failure, e.g. "the shared tier is memcached"
 */
public record WriteBehindSetup(WriteBehindInterceptor interceptor, WriteBehindQueues queues, WriteBehindLog log,
        String consumer, WriteBehindFlusher.Settings settings, String noLogReason) {
}
