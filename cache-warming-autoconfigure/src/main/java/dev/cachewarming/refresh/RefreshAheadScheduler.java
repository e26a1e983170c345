package dev.cachewarming.refresh;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.LoadGuard;
import dev.cachewarming.cache.ReadTracking;
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
     * Registers a refreshed method (or any source of reloads) of a cache; the cache's entries carry their reads
     * from now on ({@link TieredCache#trackReads()}).
     * @param cache the cache
     * @param policy when a hit triggers a refresh
     * @param stopAfterIdle how long after its last read a key stops being refreshed
     * @param guard how a refresh runs (under the key's lease, skipped where another instance holds it)
     * @param reloads how a read's context (for example a method invocation) becomes what an entry keeps to reload
     * its key, and that a loader
     * @return the target to report reads to
     */
    public RefreshTarget register(TieredCache cache, XFetchPolicy policy, Duration stopAfterIdle, LoadGuard guard,
            Reloads reloads) {
        RefreshTarget target = new RefreshTarget(cache, cache.trackReads(), policy, stopAfterIdle.toMillis(), guard,
                reloads);
        this.targets.add(target);
        return target;
    }

    /**
     * How the keys of a refreshed source are reloaded: what the first read of a key leaves in its entry (shared by
     * every key where the key alone says how), and the loader made of it when a refresh runs.
     */
    public interface Reloads {

        /**
         * @param readContext the context of a read, for example the method invocation (not yet proceeded)
         * @return what the key's entry keeps to reload it
         */
        Object contextOf(Object readContext);

        /**
         * @param key the key, as the cache's L1 holds it
         * @param context what {@link #contextOf(Object)} gave
         * @return a loader of the key's value
         */
        Callable<?> reloader(Object key, Object context);
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
        java.util.Set<TieredCache> swept = new java.util.HashSet<>();
        for (RefreshTarget target : this.targets) {
            if (!swept.add(target.cache)) {
                continue;
            }
            try {
                // One pass over a cache's entries serves every refreshed source of it: each entry names its own.
                target.tracking.forEach((key, entry, lastRead, context) -> {
                    if (context instanceof Context reload) {
                        reload.target.sweep(key, entry, lastRead, reload, now);
                    }
                });
            }
            catch (RuntimeException ex) {
                logger.warn("Refresh sweep of cache '" + target.cache.name() + "' failed", ex);
            }
        }
    }

    /** What a tracked entry keeps: the source that reloads it and that source's context for the key. */
    private record Context(RefreshTarget target, Object reload) {
    }

    /** The reads of one refreshed source of a cache. */
    public final class RefreshTarget {

        private final TieredCache cache;

        private final ReadTracking tracking;

        private final XFetchPolicy policy;

        private final long stopAfterIdleMillis;

        private final LoadGuard guard;

        private final Reloads reloads;

        // The context most keys share (one bean, keys that say their arguments), wrapped once.
        private volatile Context shared;

        private final AtomicLong lastFailureLog = new AtomicLong();

        RefreshTarget(TieredCache cache, ReadTracking tracking, XFetchPolicy policy, long stopAfterIdleMillis,
                LoadGuard guard, Reloads reloads) {
            this.cache = cache;
            this.tracking = tracking;
            this.policy = policy;
            this.stopAfterIdleMillis = stopAfterIdleMillis;
            this.guard = guard;
            this.reloads = reloads;
        }

        /**
         * @param readContext the context of a read about to load (the invocation, before it proceeds)
         * @return what {@link #onLoaded} keeps with the loaded entry
         */
        public Object contextOf(Object readContext) {
            Object reload = this.reloads.contextOf(readContext);
            Context current = this.shared;
            if (current != null && current.reload == reload) {
                return current;
            }
            Context context = new Context(this, reload);
            if (current == null) {
                this.shared = context;
            }
            return context;
        }

        /**
         * Tracks a key whose read just loaded it.
         * @param key the key
         * @param entry the entry the read loaded
         * @param context what {@link #contextOf(Object)} gave before the load
         * @param now the current time, epoch milliseconds
         */
        public void onLoaded(Object key, CacheEntry entry, Object context, long now) {
            this.tracking.recordRead(key, entry, now, context);
        }

        /**
         * Reports a hit: records the read in the entry and refreshes the key in the background if the policy says
         * so. No allocation unless the entry is read for the first time or a refresh starts.
         * @param key the key
         * @param entry the fresh entry read
         * @param readContext the read's context (the invocation), made into a reload context on a first read
         * @param now the current time, epoch milliseconds
         */
        public void onHit(Object key, CacheEntry entry, Object readContext, long now) {
            CacheEntry tracked = this.tracking.recordRead(key, entry, now, null);
            if (tracked == null) {
                return;
            }
            if (this.tracking.reloadContext(tracked) == null) {
                tracked = this.tracking.recordRead(key, tracked, now, contextOf(readContext));
            }
            if (this.policy.shouldRefresh(tracked, now)) {
                submit(key, tracked, this.tracking.reloadContext(tracked));
            }
        }

        void sweep(Object key, CacheEntry entry, long lastRead, Context context, long now) {
            if (now - lastRead > this.stopAfterIdleMillis || !entry.isFreshAt(now)
                    || entry.expiresAt() - now > this.policy.leadMillis(entry, RefreshAheadScheduler.this.sweepMillis)) {
                return;
            }
            schedule(key, entry, context, entry.expiresAt() - this.policy.marginMillis(entry) - now);
        }

        /**
         * Plans a refresh for just before expiry rather than at this sweep: a refresh at the sweep would run up to
         * two sweep intervals early and reload each key more than once per TTL (1.25 loads per expiry with a 1 s
         * sweep and a 5 s TTL, measured; see docs/benchmarks.md).
         */
        private void schedule(Object key, CacheEntry current, Object context, long delayMillis) {
            if (delayMillis <= 0) {
                submit(key, current, context);
                return;
            }
            // Not claimed until it runs: a hit's early refresh (XFetch, threshold) may still come first, and then
            // this plan finds a newer entry and does nothing.
            if (!this.tracking.claimPlan(current)) {
                return;
            }
            try {
                RefreshAheadScheduler.this.sweeper.schedule(() -> {
                    this.tracking.releasePlan(current);
                    if (this.cache.peekLocal(key) == current) {
                        submit(key, current, context);
                    }
                }, delayMillis, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException ex) {
                this.tracking.releasePlan(current);
            }
        }

        private void submit(Object key, CacheEntry current, Object context) {
            if (!(context instanceof Context reload) || !this.tracking.claimRefresh(current)) {
                return;
            }
            try {
                RefreshAheadScheduler.this.executor.execute(() -> refresh(key, current, reload));
                this.cache.stats().recordRefreshScheduled();
            }
            catch (RejectedExecutionException ex) {
                this.tracking.releaseRefresh(current);
                this.cache.stats().recordRefreshSkipped();
            }
        }

        private void refresh(Object key, CacheEntry current, Context context) {
            try {
                Callable<?> reloader = context.target.reloads.reloader(key, context.reload);
                CacheEntry refreshed = RefreshAheadScheduler.this.observations.observeRefresh(this.cache.name(), key,
                        Objects::isNull, () -> this.cache.refresh(key, reloader, context.target.guard, current));
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
                this.tracking.releaseRefresh(current);
            }
        }
    }
}
