package dev.cachewarming.warming;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.cachewarming.annotation.WarmupTier;
import dev.cachewarming.cache.KeyCodec;
import dev.cachewarming.cache.TieredCache;

/**
 * One {@code @Warmable} method, as the {@link WarmupEngine} sees it: how to name its keys, where its candidates
 * come from and how to load them.
 *
 * @param cacheName the cache name
 * @param description the method, for logs
 * @param tier its priority tier
 * @param cache its cache
 * @param keyOf the cache key of a call's arguments
 * @param argumentsCodec encodes and decodes a call's arguments (as an arguments key) for the hot-key store
 * @param invoker calls the method's target, bypassing the cache (the engine stores what it returns)
 * @param batchLoader loads many single-argument calls at once, or {@code null}
 * @param loadMode how keys are loaded: through {@code batchLoader} ({@code BATCH_METHOD}, {@code FIND_ALL_BY_ID})
 * or one call per key ({@code KEY_BY_KEY})
 * @param batchSize keys per batch
 * @param sources further sources of candidates after remembered traffic, in order of preference (declared keys,
 * access-log replay, shadow traffic)
 * @param recorder the sampled traffic, or {@code null} if not remembered
 * @param cron a cron expression for scheduled re-warming, or empty
 */
public record WarmableMethod(String cacheName, String description, WarmupTier tier, TieredCache cache,
        Function<Object[], Object> keyOf, KeyCodec argumentsCodec, Invoker invoker, BatchLoader batchLoader,
        WarmupLoadMode loadMode, int batchSize, List<KeySource> sources, HotKeyRecorder recorder, String cron) {

    /**
     * A named source of calls to warm.
     *
     * @param name how progress reports it: {@code declared}, {@code access-log}, {@code shadow}
     * @param calls gives the calls' arguments, most valuable first; evaluated once per warm-up
     */
    public record KeySource(String name, Supplier<Iterable<Object[]>> calls) {
    }

    /** Calls the method with some arguments. */
    @FunctionalInterface
    public interface Invoker {

        /**
         * @param arguments the arguments
         * @return what the method returned
         * @throws Throwable what it threw
         */
        Object invoke(Object[] arguments) throws Throwable;
    }

    /** Loads many single-argument calls at once, through the batch method. */
    @FunctionalInterface
    public interface BatchLoader {

        /**
         * @param arguments the single arguments of the calls
         * @return the value of every argument, in the method's own return type (an absent result where the
         * batch method returned nothing for it)
         * @throws Throwable what the batch method threw
         */
        Map<Object, Object> load(Collection<Object> arguments) throws Throwable;
    }
}
