package dev.cachewarming.warming;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.WarmupBatchContext;

/**
 * Warms one batch of one cache's keys: copies what Redis holds into L1 (one {@code MGET}), loads the rest
 * (one batch call, or one call per key), each load under the cache's {@link LoadConcurrencyLimit} and the rate
 * limits, and stores what was loaded through the warm write path ({@code TieredCache.putWarmed}: one pipeline,
 * one invalidation message). Each batch is a {@code cache.warming.batch} observation, a child of the run's.
 * Thread-safe.
 */
final class BatchWarmer {

    private static final Log logger = LogFactory.getLog(BatchWarmer.class);

    private final WarmupRateLimits rateLimits;

    private final CacheObservations observations;

    BatchWarmer(WarmupRateLimits rateLimits, CacheObservations observations) {
        this.rateLimits = rateLimits;
        this.observations = observations;
    }

    void warm(WarmableMethod method, CacheWarmupProgress progress, List<Object[]> batch, long deadline,
            AtomicBoolean stop, Observation run) throws InterruptedException {
        if (this.observations.isNoop()) {
            warm(method, new Tally(progress, null, null), batch, deadline, stop);
            return;
        }
        WarmupBatchContext context = new WarmupBatchContext(method.cacheName(), method.loadMode().label(),
                method.tier().name().toLowerCase(Locale.ROOT), batch.size());
        Observation observation = this.observations.warmupBatch(context, run);
        observation.observeChecked(() -> warm(method, new Tally(progress, context, observation), batch, deadline,
                stop));
    }

    private void warm(WarmableMethod method, Tally progress, List<Object[]> batch, long deadline,
            AtomicBoolean stop) throws InterruptedException {
        if (stop.get() || System.nanoTime() >= deadline) {
            progress.skipped(batch.size());
            return;
        }
        List<Object> keys = new ArrayList<>(batch.size());
        for (Object[] arguments : batch) {
            keys.add(method.keyOf().apply(arguments));
        }
        TieredCache.SharedRead shared = method.cache().readSharedAll(keys);
        Map<Object, CacheEntry> inRedis = shared.found();
        progress.fromL2(inRedis.size());
        List<Object[]> missing = new ArrayList<>(batch.size() - inRedis.size());
        List<Object> missingKeys = new ArrayList<>(batch.size() - inRedis.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!inRedis.containsKey(keys.get(i))) {
                missing.add(batch.get(i));
                missingKeys.add(keys.get(i));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (method.batchLoader() != null) {
            long started = System.nanoTime();
            store(method, progress, loadAsBatch(method, progress, missing, missingKeys, deadline, stop), started,
                    shared.unusable());
        }
        else {
            loadOneByOne(method, progress, missing, missingKeys, deadline, stop, shared.unusable());
        }
    }

    private static void store(WarmableMethod method, Tally progress, Loaded loaded, long started,
            Set<Object> replace) {
        if (loaded.values.isEmpty()) {
            return;
        }
        try {
            method.cache().putWarmed(loaded.values, loaded.loadNanos / loaded.values.size(), started, replace);
            progress.loaded(loaded.values.size());
        }
        catch (RuntimeException ex) {
            progress.failed(loaded.values.size(), ex);
            logger.warn("Cannot store " + loaded.values.size() + " warmed key(s) of cache '" + method.cacheName()
                    + "': " + ex);
        }
    }

    private Loaded loadAsBatch(WarmableMethod method, Tally progress, List<Object[]> missing,
            List<Object> keys, long deadline, AtomicBoolean stop) throws InterruptedException {
        Loaded loaded = new Loaded(missing.size());
        if (!this.rateLimits.acquire(method.cacheName(), missing.size(), deadline)) {
            progress.skipped(missing.size());
            return loaded;
        }
        List<Object> arguments = new ArrayList<>(missing.size());
        for (Object[] call : missing) {
            arguments.add(call[0]);
        }
        try {
            long start = System.nanoTime();
            Map<Object, Object> byArgument = progress.concurrency()
                .run(() -> startedInTime(deadline, stop, () -> method.batchLoader().load(arguments)));
            loaded.loadNanos = System.nanoTime() - start;
            for (int i = 0; i < arguments.size(); i++) {
                loaded.values.put(keys.get(i), byArgument.get(arguments.get(i)));
            }
        }
        catch (LoadConcurrencyLimit.LoadNotStartedException ex) {
            progress.skipped(arguments.size());
        }
        catch (InterruptedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            progress.failed(arguments.size(), ex);
            logger.debug("Batch load of " + arguments.size() + " key(s) of cache '" + method.cacheName()
                    + "' failed", ex);
        }
        return loaded;
    }

    /**
     * Loads key by key, storing what was loaded every {@value #CHUNK_MILLIS} ms at most: the record of recent
     * writes and evictions that a warmed value must not override is kept for minutes, not for a batch of slow
     * loads of any length.
     */
    private void loadOneByOne(WarmableMethod method, Tally progress, List<Object[]> missing,
            List<Object> keys, long deadline, AtomicBoolean stop, Set<Object> replace) throws InterruptedException {
        Loaded loaded = new Loaded(missing.size());
        long started = System.nanoTime();
        try {
            for (int i = 0; i < missing.size(); i++) {
                if (stop.get() || !this.rateLimits.acquire(method.cacheName(), 1, deadline)) {
                    progress.skipped(missing.size() - i);
                    return;
                }
                Object[] arguments = missing.get(i);
                try {
                    long start = System.nanoTime();
                    Object value = progress.concurrency()
                        .run(() -> startedInTime(deadline, stop, () -> method.invoker().invoke(arguments)));
                    loaded.loadNanos += System.nanoTime() - start;
                    loaded.values.put(keys.get(i), value);
                }
                catch (LoadConcurrencyLimit.LoadNotStartedException ex) {
                    progress.skipped(missing.size() - i);
                    return;
                }
                catch (InterruptedException ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    progress.failed(1, ex);
                    logger.debug("Loading " + Arrays.toString(arguments) + " of cache '" + method.cacheName()
                            + "' failed", ex);
                }
                if (System.nanoTime() - started > CHUNK_MILLIS * 1_000_000L) {
                    store(method, progress, loaded, started, replace);
                    loaded = new Loaded(missing.size() - i);
                    started = System.nanoTime();
                }
            }
        }
        finally {
            store(method, progress, loaded, started, replace);
        }
    }

    private static final long CHUNK_MILLIS = 10_000;

    /**
     * Runs a load that got its turn, unless the warm-up ended (budget, stop) while it waited for it.
     * @throws LoadConcurrencyLimit.LoadNotStartedException if it did
     */
    private static <T> T startedInTime(long deadline, AtomicBoolean stop, ThrowingCall<T> load) throws Exception {
        if (stop.get() || System.nanoTime() >= deadline) {
            throw new LoadConcurrencyLimit.LoadNotStartedException();
        }
        return call(load);
    }

    /** Rethrows what a user method threw, wrapping only throwables that are neither exceptions nor errors. */
    private static <T> T call(ThrowingCall<T> call) throws Exception {
        try {
            return call.call();
        }
        catch (Exception | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall<T> {

        T call() throws Throwable;
    }

    /**
     * Counts a batch's keys into the cache's progress and, when the batch is observed, into its context; the first
     * failure is recorded as the observation's error.
     */
    private static final class Tally {

        private final CacheWarmupProgress progress;

        private final WarmupBatchContext context;

        private final Observation observation;

        private boolean errorRecorded;

        Tally(CacheWarmupProgress progress, WarmupBatchContext context, Observation observation) {
            this.progress = progress;
            this.context = context;
            this.observation = observation;
        }

        LoadConcurrencyLimit concurrency() {
            return this.progress.concurrency;
        }

        void fromL2(int count) {
            this.progress.fromL2.add(count);
            if (this.context != null) {
                this.context.addFromL2(count);
            }
        }

        void loaded(int count) {
            this.progress.loaded.add(count);
            if (this.context != null) {
                this.context.addLoaded(count);
            }
        }

        void skipped(int count) {
            this.progress.skipped.add(count);
            if (this.context != null) {
                this.context.addSkipped(count);
            }
        }

        void failed(int count, Throwable error) {
            this.progress.failed.add(count);
            if (this.context != null) {
                this.context.addFailed(count);
                if (!this.errorRecorded) {
                    // One batch runs on one thread: no race on the flag.
                    this.errorRecorded = true;
                    this.observation.error(error);
                }
            }
        }
    }

    /** What one batch loaded: values by cache key, and the time spent in loads. */
    private static final class Loaded {

        final Map<Object, Object> values;

        long loadNanos;

        Loaded(int expected) {
            this.values = new LinkedHashMap<>(expected * 2);
        }
    }
}
