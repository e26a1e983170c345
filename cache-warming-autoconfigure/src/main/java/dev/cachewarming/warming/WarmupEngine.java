package dev.cachewarming.warming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.annotation.WarmupTier;
import dev.cachewarming.cache.ArgumentsKey;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.WarmupContext;

/**
 * Loads the hot keys of every {@code @Warmable} method: tier by tier ({@code REQUIRED}, {@code HIGH},
 * {@code LOW}), in parallel batches, rate-limited, within a time budget.
 *
 * <p>Per batch, keys already in Redis are copied into L1 in one round trip; only the others are loaded, through
 * the batch method (or a repository's {@code findAllById}) or one call per key, at most {@code concurrency} loads
 * at once per cache (adapting to the loader's latency unless switched off), and written back in one pipeline per
 * batch with one invalidation message ({@link BatchWarmer}). When the budget runs out, queued batches are skipped and the run ends as
 * {@link WarmupState#BUDGET_EXHAUSTED}; the {@code REQUIRED} tier may go on until {@code max-wait}, after which the
 * run ends as {@link WarmupState#FAILED}.
 *
 * <p>Each run is observed as {@code cache.warming}, each batch as {@code cache.warming.batch} inside it.
 *
 * <p>One run at a time; a re-warm asked for while a run is under way waits for it. Thread-safe.
 */
public final class WarmupEngine implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(WarmupEngine.class);

    private final List<WarmableMethod> methods;

    private final HotKeyStore store;

    private final WarmupSettings settings;

    private final BatchWarmer batches;

    private final ExecutorService loaders;

    private final ExecutorService coordinator;

    private final ScheduledExecutorService progressLog;

    private final Map<String, CacheWarmupProgress> progress = new ConcurrentHashMap<>();

    private volatile WarmupState state = WarmupState.PENDING;

    private volatile long startedNanos;

    private volatile long endedNanos;

    private volatile java.util.function.Consumer<CacheWarmupProgress> onCacheWarmed = (progress) -> {
    };

    private final CacheObservations observations;

    /**
     * An engine that makes no observations.
     * @param methods the warmable methods
     * @param store where remembered keys are read, or {@code null}
     * @param settings how warm-ups run
     */
    public WarmupEngine(List<WarmableMethod> methods, HotKeyStore store, WarmupSettings settings) {
        this(methods, store, settings, CacheObservations.NOOP);
    }

    /**
     * @param methods the warmable methods
     * @param store where remembered keys are read, or {@code null}
     * @param settings how warm-ups run
     * @param observations where runs and batches are observed
     */
    public WarmupEngine(List<WarmableMethod> methods, HotKeyStore store, WarmupSettings settings,
            CacheObservations observations) {
        this.observations = observations;
        this.methods = List.copyOf(methods);
        this.store = store;
        this.settings = settings;
        this.batches = new BatchWarmer(new WarmupRateLimits(settings.rateLimit(), settings.cacheRateLimit()),
                observations);
        AtomicInteger threads = new AtomicInteger();
        this.loaders = Executors.newFixedThreadPool(settings.concurrency(), (task) -> daemon(task,
                "cache-warming-loader-" + threads.incrementAndGet()));
        this.coordinator = Executors.newSingleThreadExecutor((task) -> daemon(task, "cache-warming-warmup"));
        this.progressLog = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "cache-warming-progress"));
        for (WarmableMethod method : this.methods) {
            this.progress.put(method.cacheName(), new CacheWarmupProgress(method.cacheName(), method.tier(),
                    method.loadMode()));
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * @param listener told of each cache's progress when its part of a run ends (for example to time runs), on
     * the warm-up thread; must not throw
     */
    public void onCacheWarmed(java.util.function.Consumer<CacheWarmupProgress> listener) {
        this.onCacheWarmed = listener;
    }

    /** @return the overall state of the last (or current) run */
    public WarmupState state() {
        return this.state;
    }

    /** @return time spent by the last (or current) run */
    public Duration elapsed() {
        if (this.startedNanos == 0) {
            return Duration.ZERO;
        }
        long end = (this.endedNanos != 0) ? this.endedNanos : System.nanoTime();
        return Duration.ofNanos(end - this.startedNanos);
    }

    /** @return the settings */
    public WarmupSettings settings() {
        return this.settings;
    }

    /** @return the warmable methods */
    public List<WarmableMethod> methods() {
        return this.methods;
    }

    /** @return each cache's progress in the last (or current) run */
    public Map<String, CacheWarmupProgress> progress() {
        return this.progress;
    }

    /**
     * Warms every cache, in the background.
     * @return completes with the final state
     */
    public CompletableFuture<WarmupState> start() {
        return CompletableFuture.supplyAsync(() -> runSafely(this.methods, true), this.coordinator);
    }

    /**
     * Warms one cache again, in the background (after any run under way).
     * @param cacheName the cache
     * @return completes with the final state
     * @throws IllegalArgumentException if no warmable method fills that cache
     */
    public CompletableFuture<WarmupState> rewarm(String cacheName) {
        List<WarmableMethod> selected = this.methods.stream().filter((m) -> m.cacheName().equals(cacheName)).toList();
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("No @Warmable method fills cache '" + cacheName + "'");
        }
        return CompletableFuture.supplyAsync(() -> runSafely(selected, false), this.coordinator);
    }

    /** A run that fails unexpectedly ends as FAILED (readiness must not wait for a RUNNING that never ends). */
    private WarmupState runSafely(List<WarmableMethod> selected, boolean allCaches) {
        try {
            return run(selected, allCaches);
        }
        catch (RuntimeException | Error ex) {
            this.endedNanos = System.nanoTime();
            this.state = WarmupState.FAILED;
            logger.error("Warm-up failed unexpectedly", ex);
            return this.state;
        }
    }

    private WarmupState run(List<WarmableMethod> selected, boolean allCaches) {
        Observation observation = this.observations.warmup(
                selected.stream().map(WarmableMethod::cacheName).distinct().toList(), allCaches);
        return observation.observe(() -> {
            WarmupState ended = warm(selected, observation);
            if (observation.getContext() instanceof WarmupContext context) {
                context.setResult(ended.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            return ended;
        });
    }

    private WarmupState warm(List<WarmableMethod> selected, Observation observation) {
        this.startedNanos = System.nanoTime();
        this.endedNanos = 0;
        this.state = WarmupState.RUNNING;
        List<Plan> plans = new ArrayList<>();
        for (WarmableMethod method : selected) {
            CacheWarmupProgress fresh = new CacheWarmupProgress(method.cacheName(), method.tier(),
                    method.loadMode(), this.progress.get(method.cacheName()));
            Duration longestWait = max(this.settings.budget(), this.settings.maxWait());
            fresh.concurrency = this.settings.adaptiveConcurrency()
                    ? LoadConcurrencyLimit.adaptive(this.settings.concurrency(), longestWait)
                    : LoadConcurrencyLimit.fixed(this.settings.concurrency(), longestWait);
            this.progress.put(method.cacheName(), fresh);
            plans.add(plan(method, fresh));
        }
        int planned = plans.stream().mapToInt((plan) -> plan.candidates.size()).sum();
        if (observation.getContext() instanceof WarmupContext context) {
            context.setPlannedKeys(planned);
        }
        logger.info("Warm-up started: " + planned + " key(s) in " + plans.size() + " cache(s), budget "
                + this.settings.budget());
        Future<?> logging = this.progressLog.scheduleAtFixedRate(this::logProgress,
                this.settings.progressInterval().toMillis(), this.settings.progressInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        boolean budgetExhausted = false;
        boolean requiredFailed = false;
        try {
            for (WarmupTier tier : WarmupTier.values()) {
                List<Plan> inTier = plans.stream().filter((plan) -> plan.method.tier() == tier).toList();
                if (inTier.isEmpty()) {
                    continue;
                }
                Duration limit = (tier == WarmupTier.REQUIRED)
                        ? max(this.settings.budget(), this.settings.maxWait()) : this.settings.budget();
                long deadline = this.startedNanos + limit.toNanos();
                boolean finished = runTier(inTier, deadline, observation);
                if (!finished) {
                    if (tier == WarmupTier.REQUIRED) {
                        requiredFailed = true;
                    }
                    else {
                        budgetExhausted = true;
                    }
                }
            }
        }
        finally {
            logging.cancel(false);
        }
        this.endedNanos = System.nanoTime();
        this.state = requiredFailed ? WarmupState.FAILED
                : budgetExhausted ? WarmupState.BUDGET_EXHAUSTED : WarmupState.COMPLETED;
        logSummary(plans);
        return this.state;
    }

    private boolean runTier(List<Plan> plans, long deadline, Observation run) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> batches = new ArrayList<>();
        // Round robin over the tier's caches: one slow cache's batches must not queue ahead of all the others'.
        int most = 0;
        for (Plan plan : plans) {
            plan.progress.startedNanos = System.nanoTime();
            int size = Math.max(1, plan.method.batchSize());
            most = Math.max(most, (plan.candidates.size() + size - 1) / size);
        }
        for (int round = 0; round < most; round++) {
            for (Plan plan : plans) {
                int size = Math.max(1, plan.method.batchSize());
                int from = round * size;
                if (from < plan.candidates.size()) {
                    List<Object[]> batch = plan.candidates.subList(from, Math.min(plan.candidates.size(), from + size));
                    batches.add(this.loaders.submit(() -> warm(plan, batch, deadline, stop, run)));
                }
            }
        }
        boolean finished = true;
        for (Future<?> batch : batches) {
            long wait = deadline - System.nanoTime();
            try {
                if (wait <= 0) {
                    throw new TimeoutException();
                }
                batch.get(wait, TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException ex) {
                // Queued batches skip their keys; loads under way finish in the background.
                stop.set(true);
                finished = false;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                stop.set(true);
                finished = false;
                break;
            }
            catch (Exception ex) {
                logger.warn("A warm-up batch failed unexpectedly", ex);
            }
        }
        for (Plan plan : plans) {
            plan.progress.endedNanos = System.nanoTime();
        }
        for (Plan plan : plans) {
            try {
                this.onCacheWarmed.accept(plan.progress);
            }
            catch (RuntimeException ex) {
                logger.debug("Warm-up listener failed for cache '" + plan.progress.cache() + "'", ex);
            }
        }
        return finished;
    }

    private void warm(Plan plan, List<Object[]> batch, long deadline, AtomicBoolean stop, Observation run) {
        try {
            this.batches.warm(plan.method, plan.progress, batch, deadline, stop, run);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private Plan plan(WarmableMethod method, CacheWarmupProgress progress) {
        Map<List<Object>, Object[]> candidates = new LinkedHashMap<>();
        int limit = this.settings.maxKeys();
        if (method.recorder() != null && this.store != null) {
            try {
                int remembered = 0;
                for (SpaceSavingSummary.Counted<String> counted : this.store.load(method.cacheName(), limit)) {
                    try {
                        Object[] arguments = ((ArgumentsKey) method.argumentsCodec()
                            .localFromEncoded(counted.key())).arguments();
                        candidates.putIfAbsent(Arrays.asList(arguments), arguments);
                        remembered++;
                    }
                    catch (RuntimeException ex) {
                        // Stored by a version with other parameter types: not a key of this method any more.
                        logger.debug("Skipping remembered key " + counted.key() + " of " + method.cacheName(), ex);
                    }
                }
                progress.sources.put("remembered", remembered);
            }
            catch (RuntimeException ex) {
                progress.sourceError = "remembered keys: " + ex.getMessage();
                logger.warn("Cannot read the remembered keys of cache '" + method.cacheName() + "' from "
                        + this.store.describe() + ": " + ex.getMessage());
            }
        }
        for (WarmableMethod.KeySource source : method.sources()) {
            if (candidates.size() >= limit) {
                break;
            }
            try {
                int added = 0;
                for (Object[] arguments : source.calls().get()) {
                    if (candidates.size() >= limit) {
                        break;
                    }
                    if (candidates.putIfAbsent(Arrays.asList(arguments), arguments) == null) {
                        added++;
                    }
                }
                progress.sources.put(source.name(), added);
            }
            catch (RuntimeException ex) {
                progress.sourceError = source.name() + ": " + ex.getMessage();
                logger.warn("Cannot read the " + source.name() + " keys of cache '" + method.cacheName() + "': "
                        + ex);
            }
        }
        List<Object[]> list = new ArrayList<>(candidates.values());
        if (list.size() > limit) {
            list = new ArrayList<>(list.subList(0, limit));
        }
        progress.planned = list.size();
        return new Plan(method, list, progress);
    }

    private void logProgress() {
        for (CacheWarmupProgress cache : this.progress.values()) {
            if (cache.startedNanos != 0 && !cache.isFinished()) {
                Duration eta = cache.eta();
                logger.info(String.format("Warming %s: %d/%d (%.0f%%), %.0f keys/s, ETA %s", cache.cache(),
                        cache.done(), cache.planned(), cache.progress() * 100, cache.keysPerSecond(),
                        (eta != null) ? eta.toSeconds() + "s" : "unknown"));
            }
        }
    }

    private void logSummary(List<Plan> plans) {
        StringBuilder table = new StringBuilder();
        table.append(String.format("Warm-up %s in %d ms%n", this.state, elapsed().toMillis()));
        table.append(String.format("  %-28s %-9s %-14s %8s %8s %8s %8s %8s %10s %6s%n", "cache", "tier", "load mode",
                "planned", "from L2", "loaded", "failed", "skipped", "keys/s", "at once"));
        for (Plan plan : plans) {
            CacheWarmupProgress p = plan.progress;
            table.append(String.format("  %-28s %-9s %-14s %8d %8d %8d %8d %8d %10.0f %6s%n", p.cache(), p.tier(),
                    p.loadMode(), p.planned(), p.fromL2(), p.loaded(), p.failed(), p.skipped(), p.keysPerSecond(),
                    p.maxConcurrentLoads() + "/" + this.settings.concurrency()));
        }
        if (this.state == WarmupState.COMPLETED) {
            logger.info(table.toString().trim());
        }
        else {
            logger.warn(table.toString().trim());
        }
    }

    private static Duration max(Duration a, Duration b) {
        return (a.compareTo(b) >= 0) ? a : b;
    }

    @Override
    public void close() {
        this.progressLog.shutdownNow();
        this.coordinator.shutdownNow();
        this.loaders.shutdownNow();
    }

    private record Plan(WarmableMethod method, List<Object[]> candidates, CacheWarmupProgress progress) {
    }
}
