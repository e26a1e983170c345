package dev.cachewarming.observation;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Where the core classes make their {@link CacheObservationDocumentation observations}: an
 * {@link ObservationRegistry} and the conventions that name them (yours, or the defaults). Plain Java: the
 * auto-configuration passes Boot's registry in; without one, {@link #NOOP} makes no observation at all.
 *
 * <pre>{@code
 * CacheObservations observations = new CacheObservations(registry);
 * Object value = observations.observeLoad("products", 42L, CacheLoadContext.Trigger.MISS, Objects::isNull,
 *         () -> repository.findById(42L).orElse(null));
 * }</pre>
 *
 * <p>Only the load path (misses, refreshes, lease waits, warm-ups) calls this class; hits never do. With a no-op
 * registry every method runs its action directly, creating no context. Thread-safe.
 */
public final class CacheObservations {

    /** Makes no observation. */
    public static final CacheObservations NOOP = new CacheObservations(ObservationRegistry.NOOP);

    private final ObservationRegistry registry;

    private final CacheLoadObservationConvention loadConvention;

    private final CacheRefreshObservationConvention refreshConvention;

    private final LeaseWaitObservationConvention leaseWaitConvention;

    private final WarmupObservationConvention warmupConvention;

    private final WarmupBatchObservationConvention batchConvention;

    /**
     * Observations named by the default conventions.
     * @param registry where observations go
     */
    public CacheObservations(ObservationRegistry registry) {
        this(registry, null, null, null, null, null);
    }

    /**
     * @param registry where observations go
     * @param loadConvention names {@code cache.load} observations, or {@code null} for the default
     * @param refreshConvention names {@code cache.refresh.reload} observations, or {@code null} for the default
     * @param leaseWaitConvention names {@code cache.lease.wait} observations, or {@code null} for the default
     * @param warmupConvention names {@code cache.warming} observations, or {@code null} for the default
     * @param batchConvention names {@code cache.warming.batch} observations, or {@code null} for the default
     */
    public CacheObservations(ObservationRegistry registry, CacheLoadObservationConvention loadConvention,
            CacheRefreshObservationConvention refreshConvention, LeaseWaitObservationConvention leaseWaitConvention,
            WarmupObservationConvention warmupConvention, WarmupBatchObservationConvention batchConvention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loadConvention = loadConvention;
        this.refreshConvention = refreshConvention;
        this.leaseWaitConvention = leaseWaitConvention;
        this.warmupConvention = warmupConvention;
        this.batchConvention = batchConvention;
    }

    /** @return the registry observations go to */
    public ObservationRegistry registry() {
        return this.registry;
    }

    /**
     * @return whether observations are switched off (no registry, or one without handlers), so callers can skip
     * creating contexts
     */
    public boolean isNoop() {
        return this.registry.isNoop();
    }

    /**
     * Runs a load in a {@code cache.load} observation: result {@code success}, {@code absent} (when
     * {@code absent} says so of the loaded value) or {@code failure} (the error recorded, then rethrown).
     * @param <T> what the load returns
     * @param <E> what it throws
     * @param cacheName the cache
     * @param key the key (kept in the context, not reported by the default convention)
     * @param trigger what made the load run
     * @param absent whether a loaded result is an absent value
     * @param load the load
     * @return what the load returned
     * @throws E what the load threw
     */
    public <T, E extends Throwable> T observeLoad(String cacheName, Object key, CacheLoadContext.Trigger trigger,
            Predicate<? super T> absent, Observation.CheckedCallable<T, E> load) throws E {
        if (isNoop()) {
            return load.call();
        }
        CacheLoadContext context = new CacheLoadContext(cacheName, key, trigger);
        return CacheObservationDocumentation.CACHE_LOAD
            .observation(this.loadConvention, DefaultCacheLoadObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .observeChecked(() -> {
                context.setResult(CacheLoadContext.Result.FAILURE);
                T loaded = load.call();
                context.setResult(absent.test(loaded) ? CacheLoadContext.Result.ABSENT
                        : CacheLoadContext.Result.SUCCESS);
                return loaded;
            });
    }

    /**
     * Runs a refresh in a {@code cache.refresh.reload} observation: result {@code success}, {@code skipped} (when
     * {@code skipped} says so of its result) or {@code failure} (the error recorded, then rethrown). The load it
     * runs, if any, is observed inside this one.
     * @param <T> what the refresh returns
     * @param <E> what it throws
     * @param cacheName the cache
     * @param key the key (kept in the context, not reported by the default convention)
     * @param skipped whether a result means the refresh was skipped
     * @param refresh the refresh
     * @return what the refresh returned
     * @throws E what the refresh threw
     */
    public <T, E extends Throwable> T observeRefresh(String cacheName, Object key, Predicate<? super T> skipped,
            Observation.CheckedCallable<T, E> refresh) throws E {
        if (isNoop()) {
            return refresh.call();
        }
        CacheRefreshContext context = new CacheRefreshContext(cacheName, key);
        return CacheObservationDocumentation.CACHE_REFRESH
            .observation(this.refreshConvention, DefaultCacheRefreshObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .observeChecked(() -> {
                context.setResult(CacheRefreshContext.Result.FAILURE);
                T refreshed = refresh.call();
                context.setResult(skipped.test(refreshed) ? CacheRefreshContext.Result.SKIPPED
                        : CacheRefreshContext.Result.SUCCESS);
                return refreshed;
            });
    }

    /**
     * Creates (does not start) a {@code cache.lease.wait} observation; the caller starts it when the wait begins
     * and stops it, with the context's result set, when the wait ends.
     * @param context the wait
     * @return the observation ({@link Observation#NOOP} when switched off)
     */
    public Observation leaseWait(LeaseWaitContext context) {
        return CacheObservationDocumentation.CACHE_LEASE_WAIT.observation(this.leaseWaitConvention,
                DefaultLeaseWaitObservationConvention.INSTANCE, () -> context, this.registry);
    }

    /**
     * Creates (does not start) a {@code cache.warming} observation.
     * @param cacheNames the caches the run warms
     * @param allCaches whether it warms every warmable cache
     * @return the observation; its context is a {@link WarmupContext} unless it is {@link Observation#NOOP}
     */
    public Observation warmup(List<String> cacheNames, boolean allCaches) {
        return CacheObservationDocumentation.CACHE_WARMING.observation(this.warmupConvention,
                DefaultWarmupObservationConvention.INSTANCE, () -> new WarmupContext(cacheNames, allCaches),
                this.registry);
    }

    /**
     * Creates (does not start) a {@code cache.warming.batch} observation, a child of the run's observation (the
     * batch runs on another thread, where the run's scope is not open).
     * @param context the batch
     * @param run the warm-up run's observation
     * @return the observation
     */
    public Observation warmupBatch(WarmupBatchContext context, Observation run) {
        return CacheObservationDocumentation.CACHE_WARMING_BATCH
            .observation(this.batchConvention, DefaultWarmupBatchObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .parentObservation(run.isNoop() ? null : run);
    }
}
