package dev.cachewarming.warming;

import java.util.Collection;
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
 * @param invoker calls the method (through its proxy, so it loads and caches like any call)
 * @param batchLoader loads many single-argument calls at once, or {@code null}
 * @param batchSize keys per batch
 * @param declaredKeys the declared candidates (predictive warming), or {@code null}
 * @param recorder the sampled traffic, or {@code null} if not remembered
 * @param cron a cron expression for scheduled re-warming, or empty
 */
public record WarmableMethod(String cacheName, String description, WarmupTier tier, TieredCache cache,
        Function<Object[], Object> keyOf, KeyCodec argumentsCodec, Invoker invoker, BatchLoader batchLoader,
        int batchSize, Supplier<Iterable<Object[]>> declaredKeys, HotKeyRecorder recorder, String cron) {

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
