package dev.cachewarming.interceptor;

import dev.cachewarming.cache.KeyCodec;
import dev.cachewarming.cache.LoadGuard;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.refresh.RefreshAheadScheduler;
import dev.cachewarming.stampede.SingleFlight;
import dev.cachewarming.warming.HotKeyRecorder;

/**
 * What the interceptor needs to know about one annotated method, resolved once at startup; the hit path reads
 * only these final fields.
 *
 * @param description the method, for messages
 * @param keyFunction computes the key from the arguments
 * @param cache the cache, or {@code null} when the method only coalesces concurrent calls
 * @param missGuard how a miss loads (under a shared lease for {@code @StampedeProtected})
 * @param serveStale whether a held stale value is served while the key reloads
 * @param refresh where hits are reported for refresh-ahead, or {@code null}
 * @param coalescer coalesces concurrent identical calls of an uncached method, or {@code null}
 * @param recorder samples calls for warming, or {@code null}
 * @param argumentsCodec encodes a call's arguments (for the hot-key store and replay)
 * @param returnsOptional whether the method returns {@code Optional}
 */
record CachedMethod(String description, KeyFunction keyFunction, TieredCache cache, LoadGuard missGuard,
        boolean serveStale, RefreshAheadScheduler.RefreshTarget refresh, SingleFlight<Object, Object> coalescer,
        HotKeyRecorder recorder, KeyCodec argumentsCodec, boolean returnsOptional) {
}
