package dev.cachewarming.refresh;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.LoadGuard;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.observation.CacheObservations;

/**
 * Reloads hot entries in the background before they expire, so callers keep getting hits.
 *
 * <p>Two triggers: on a hit, the {@link XFetchPolicy} may decide to refresh early; and every sweep interval the
 * keys read within {@code stop-after-idle} whose entry expires within the policy's lead time get a refresh planned
 * for a short margin (a few load times) before expiry, so a hot key never expires under steady traffic even if no
 * read happens to fall in the XFetch window, and is still reloaded about once per TTL. A key not read
 * for {@code stop-after-idle} is no longer refreshed and expires normally.
 *
 * <p>Refreshes run on a bounded executor: a full queue skips the refresh (counted), it never blocks a caller.
 * One refresh per key at a time; across instances the refresh runs under the key's load lease and is skipped
 * where another instance holds it. A failed refresh leaves the current value in place until it expires; it is
 * counted and logged at most once a minute per cache. Each refresh that runs is observed as
 * {@code cache.refresh.reload} (its load, if any, as {@code cache.load} inside it).
 *
 * <p>Thread-safe.
 */
public final class RefreshAheadScheduler implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(RefreshAheadScheduler.class);

    private final ThreadPoolExecutor executor;

    private final ScheduledExecutorService sweeper;

    private final long sweepMillis;

    private final Clock clock;

    private final List<RefreshTarget> targets = new CopyOnWriteArrayList<>();

    private final CacheObservations observations;

    /**
     * A scheduler that makes no observations.
     * @param poolSize threads that run refreshes
     * @param queueCapacity refreshes that may wait for a thread; more are skipped
     * @param sweepInterval how often recently read keys are checked for coming expiry
     * @param clock the wall clock entries are timed with
     */
    public RefreshAheadScheduler(int poolSize, int queueCapacity, Duration sweepInterval, Clock clock) {
        this(poolSize, queueCapacity, sweepInterval, clock, CacheObservations.NOOP);
    }

    /**
     * @param poolSize threads that run refreshes
     * @param queueCapacity refreshes that may wait for a thread; more are skipped
     * @param sweepInterval how often recently read keys are checked for coming expiry
     * @param clock the wall clock entries are timed with
     * @param observations where refreshes are observed
     */
    public RefreshAheadScheduler(int poolSize, int queueCapacity, Duration sweepInterval, Clock clock,
            CacheObservations observations) {
        this.observations = observations;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(poolSize, poolSize, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), (task) -> {
                    Thread thread = new Thread(task, "cache-warming-refresh-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
        this.sweepMillis = sweepInterval.toMillis();
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-refresh-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        this.sweeper.scheduleWithFixedDelay(this::sweep, this.sweepMillis, this.sweepMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a refreshed method (or any source of reloads) of a cache.
     * @param cache the cache
     * @param policy when a hit triggers a refresh
     * @param stopAfterIdle how long after its last read a key stops being refreshed
     * @param maxTrackedKeys the most keys tracked for background refresh
     * @param guard how a refresh runs (under the key's lease, skipped where another instance holds it)
     * @param reloaderOf turns the context of a read (for example a method invocation) into a reusable loader
     * @return the target to report reads to
     */
    public RefreshTarget register(TieredCache cache, XFetchPolicy policy, Duration stopAfterIdle, int maxTrackedKeys,
            LoadGuard guard, Function<Object, Callable<?>> reloaderOf) {
        RefreshTarget target = new RefreshTarget(cache, policy, stopAfterIdle.toMillis(), maxTrackedKeys, guard,
                reloaderOf);
        this.targets.add(target);
        return target;
    }

    /** @return refreshes waiting for a thread */
    public int queued() {
        return this.executor.getQueue().size();
    }

    @Override
    public void close() {
        this.sweeper.shutdownNow();
        this.executor.shutdownNow();
    }

    private void sweep() {
        long now = this.clock.millis();
        for (RefreshTarget target : this.targets) {
            try {
                target.sweep(now);
            }
            catch (RuntimeException ex) {
                logger.warn("Refresh sweep of cache '" + target.cache.name() + "' failed", ex);
            }
        }
    }

    /** The reads of one refreshed source of a cache. */
    public final class RefreshTarget {

        private final TieredCache cache;

        private final XFetchPolicy policy;

        private final long stopAfterIdleMillis;

        private final int maxTrackedKeys;

        private final LoadGuard guard;

        private final Function<Object, Callable<?>> reloaderOf;

        private final Map<Object, HotKey> keys = new ConcurrentHashMap<>();

        private final AtomicLong lastFailureLog = new AtomicLong();

        RefreshTarget(TieredCache cache, XFetchPolicy policy, long stopAfterIdleMillis, int maxTrackedKeys,
                LoadGuard guard, Function<Object, Callable<?>> reloaderOf) {
            this.cache = cache;
            this.policy = policy;
            this.stopAfterIdleMillis = stopAfterIdleMillis;
            this.maxTrackedKeys = maxTrackedKeys;
            this.guard = guard;
            this.reloaderOf = reloaderOf;
        }

        /**
         * Notes that a key is read; call it before the read's own load, if any, runs.
         * @param key the key
         * @param context what {@code reloaderOf} turns into a loader when the key is new
         */
        public void track(Object key, Object context) {
            HotKey hot = this.keys.get(key);
            if (hot == null) {
                if (this.keys.size() >= this.maxTrackedKeys) {
                    return;
                }
                hot = this.keys.computeIfAbsent(key, (k) -> new HotKey(k, this.reloaderOf.apply(context)));
            }
            hot.lastRead = RefreshAheadScheduler.this.clock.millis();
        }

        /**
         * Reports a hit: tracks the key and refreshes it in the background if the policy says so. No allocation
         * unless the key is new or a refresh starts.
         * @param key the key
         * @param entry the fresh entry read
         * @param context what {@code reloaderOf} turns into a loader when the key is new
         */
        public void onHit(Object key, CacheEntry entry, Object context) {
            onHit(key, entry, context, RefreshAheadScheduler.this.clock.millis());
        }

        /**
         * {@link #onHit(Object, CacheEntry, Object)} at a time the caller already read.
         * @param key the key
         * @param entry the fresh entry read
         * @param context what {@code reloaderOf} turns into a loader when the key is new
         * @param now the current time, epoch milliseconds
         */
        public void onHit(Object key, CacheEntry entry, Object context, long now) {
            HotKey hot = this.keys.get(key);
            if (hot == null) {
                if (this.keys.size() >= this.maxTrackedKeys) {
                    return;
                }
                hot = this.keys.computeIfAbsent(key, (k) -> new HotKey(k, this.reloaderOf.apply(context)));
            }
            if (hot.lastRead != now) {
                // Written only when the (millisecond) time moved: threads hitting one key do not fight over it.
                hot.lastRead = now;
            }
            if (this.policy.shouldRefresh(entry, now, 1.0 - ThreadLocalRandom.current().nextDouble())) {
                submit(hot, entry);
            }
        }

        /** @return how many keys are tracked for background refresh */
        public int trackedKeys() {
            return this.keys.size();
        }

        void sweep(long now) {
            for (HotKey hot : this.keys.values()) {
                if (now - hot.lastRead > this.stopAfterIdleMillis) {
                    this.keys.remove(hot.key, hot);
                    continue;
                }
                CacheEntry entry = this.cache.peekLocal(hot.key);
                if (entry != null && entry.isFreshAt(now)
                        && entry.expiresAt() - now <= this.policy.leadMillis(entry, RefreshAheadScheduler.this.sweepMillis)) {
                    schedule(hot, entry, entry.expiresAt() - this.policy.marginMillis(entry) - now);
                }
            }
        }

        /**
         * Plans a refresh for just before expiry rather than at this sweep: a refresh at the sweep would run up to
         * two sweep intervals early and reload each key more than once per TTL (1.25 loads per expiry with a 1 s
         * sweep and a 5 s TTL, measured; see docs/benchmarks.md).
         */
        private void schedule(HotKey hot, CacheEntry current, long delayMillis) {
            if (delayMillis <= 0) {
                submit(hot, current);
                return;
            }
            if (hot.plannedFor == current) {
                return;
            }
            // Not claimed until it runs: a hit's early refresh (XFetch, threshold) may still come first, and then
            // this plan finds a newer entry and does nothing.
            hot.plannedFor = current;
            try {
                RefreshAheadScheduler.this.sweeper.schedule(() -> {
                    // Cleared so the plan does not keep an old value reachable after the refresh.
                    hot.plannedFor = null;
                    if (this.cache.peekLocal(hot.key) == current) {
                        submit(hot, current);
                    }
                }, delayMillis, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException ex) {
                hot.plannedFor = null;
            }
        }

        private void submit(HotKey hot, CacheEntry current) {
            if (HotKey.REFRESHING.compareAndSet(hot, 0, 1)) {
                execute(hot, current);
            }
        }

        /** Runs a refresh the caller has claimed (set {@code refreshing}) on the refresh executor. */
        private void execute(HotKey hot, CacheEntry current) {
            try {
                RefreshAheadScheduler.this.executor.execute(() -> refresh(hot, current));
                this.cache.stats().recordRefreshScheduled();
            }
            catch (RejectedExecutionException ex) {
                hot.refreshing = 0;
                this.cache.stats().recordRefreshSkipped();
            }
        }

        private void refresh(HotKey hot, CacheEntry current) {
            try {
                CacheEntry refreshed = RefreshAheadScheduler.this.observations.observeRefresh(this.cache.name(),
                        hot.key, Objects::isNull,
                        () -> this.cache.refresh(hot.key, hot.reloader, this.guard, current));
                if (refreshed != null) {
                    this.cache.stats().recordRefreshSucceeded();
                }
                else {
                    this.cache.stats().recordRefreshSkipped();
                }
            }
            catch (Throwable ex) {
                this.cache.stats().recordRefreshFailed();
                long now = System.currentTimeMillis();
                long last = this.lastFailureLog.get();
                if (now - last >= 60_000 && this.lastFailureLog.compareAndSet(last, now)) {
                    logger.warn("Refresh of cache '" + this.cache.name() + "' failed (the current value is served "
                            + "until it expires; logged at most once a minute): " + ex, ex);
                }
            }
            finally {
                hot.refreshing = 0;
            }
        }
    }

    private static final class HotKey {

        final Object key;

        // A field updater rather than an AtomicBoolean: one object less per tracked key.
        static final AtomicIntegerFieldUpdater<HotKey> REFRESHING = AtomicIntegerFieldUpdater
            .newUpdater(HotKey.class, "refreshing");

        final Callable<?> reloader;

        volatile int refreshing;

        // The entry a refresh is planned for, so later sweeps do not plan it again.
        volatile CacheEntry plannedFor;

        volatile long lastRead;

        HotKey(Object key, Callable<?> reloader) {
            this.key = key;
            this.reloader = reloader;
        }
    }
}
