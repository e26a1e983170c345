package dev.cachewarming.warming;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.cachewarming.observation.CacheObservations;

/**
 * {@link CacheWarming} over a {@link WarmupEngine} and a {@link HotKeyMemory}, built once the annotated methods
 * are known ({@link #initialize}).
 */
public final class DefaultCacheWarming implements CacheWarming, AutoCloseable {

    private final WarmupSettings settings;

    private final HotKeyStore store;

    private final Duration persistInterval;

    private final double decay;

    private final int keep;

    private final double alertRate;

    private final CacheObservations observations;

    private final Map<String, Repopulator> repopulators = new ConcurrentHashMap<>();

    private final List<java.util.function.Consumer<CacheWarmupProgress>> runListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile ShadowTraffic shadow;

    private volatile WarmupEngine engine;

    private volatile HotKeyMemory memory;

    /**
     * @param settings how warm-ups run
     * @param store where hot keys are remembered, or {@code null} to remember nothing
     * @param persistInterval how often hot keys are saved
     * @param decay the weight of stored counts at each save
     * @param keep the most keys kept per cache
     * @param alertRate requests per second of one key above which a warning is logged; 0 for none
     */
    public DefaultCacheWarming(WarmupSettings settings, HotKeyStore store, Duration persistInterval, double decay,
            int keep, double alertRate) {
        this(settings, store, persistInterval, decay, keep, alertRate, CacheObservations.NOOP);
    }

    /**
     * @param settings how warm-ups run
     * @param store where hot keys are remembered, or {@code null} to remember nothing
     * @param persistInterval how often hot keys are saved
     * @param decay the weight of stored counts at each save
     * @param keep the most keys kept per cache
     * @param alertRate requests per second of one key above which a warning is logged; 0 for none
     * @param observations where warm-up runs and their batches are observed
     */
    public DefaultCacheWarming(WarmupSettings settings, HotKeyStore store, Duration persistInterval, double decay,
            int keep, double alertRate, CacheObservations observations) {
        this.observations = observations;
        this.settings = settings;
        this.store = store;
        this.persistInterval = persistInterval;
        this.decay = decay;
        this.keep = keep;
        this.alertRate = alertRate;
        this.engine = new WarmupEngine(List.of(), store, settings, observations);
        this.engine.onCacheWarmed(this::cacheWarmed);
    }

    /**
     * @param shadow where sampled keys are published live for other instances' warm-ups, or {@code null}
     */
    public void setShadowTraffic(ShadowTraffic shadow) {
        this.shadow = shadow;
    }

    /**
     * Takes the methods found at startup and starts remembering their traffic.
     * @param warmables the {@code @Warmable} methods
     * @param repopulators by cache name, for every annotated method
     */
    public synchronized void initialize(List<WarmableMethod> warmables, Map<String, Repopulator> repopulators) {
        this.engine.close();
        this.engine = new WarmupEngine(warmables, this.store, this.settings, this.observations);
        this.engine.onCacheWarmed(this::cacheWarmed);
        this.repopulators.putAll(repopulators);
        if (this.store != null) {
            this.memory = new HotKeyMemory(warmables, this.store, this.persistInterval, this.decay, this.keep,
                    this.alertRate, this.shadow);
            this.memory.start();
        }
    }

    /**
     * Adds a listener told of each cache's progress when its part of a warm-up (or re-warm) ends, for example to
     * time every run; called on the warm-up thread, it must be quick and not throw.
     * @param listener the listener
     */
    public void addRunListener(java.util.function.Consumer<CacheWarmupProgress> listener) {
        this.runListeners.add(listener);
    }

    private void cacheWarmed(CacheWarmupProgress progress) {
        this.runListeners.forEach((listener) -> listener.accept(progress));
    }

    /**
     * Starts the warm-up of every warmable cache, in the background.
     * @return completes with the final state
     */
    public CompletableFuture<WarmupState> start() {
        return this.engine.start();
    }

    /** @return the engine, for the endpoint and the meters */
    public WarmupEngine engine() {
        return this.engine;
    }

    /** @return the traffic memory, or {@code null} if nothing is remembered */
    public HotKeyMemory memory() {
        return this.memory;
    }

    @Override
    public WarmupState state() {
        return this.engine.state();
    }

    @Override
    public Map<String, CacheWarmupProgress> progress() {
        return this.engine.progress();
    }

    @Override
    public Collection<String> warmableCaches() {
        return this.engine.methods().stream().map(WarmableMethod::cacheName).distinct().toList();
    }

    @Override
    public CompletableFuture<WarmupState> rewarm(String cacheName) {
        return this.engine.rewarm(cacheName);
    }

    @Override
    public Object repopulate(String cacheName, Object... arguments) {
        Repopulator repopulator = this.repopulators.get(cacheName);
        if (repopulator == null) {
            throw new IllegalArgumentException("No annotated method uses cache '" + cacheName + "'; known: "
                    + this.repopulators.keySet());
        }
        try {
            return repopulator.repopulate(arguments);
        }
        catch (RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new IllegalStateException("Repopulating cache '" + cacheName + "' failed: " + ex.getMessage(), ex);
        }
    }

    @Override
    public List<SpaceSavingSummary.Counted<Object>> hotKeys(String cacheName, int limit) {
        return this.engine.methods()
            .stream()
            .filter((method) -> method.cacheName().equals(cacheName) && method.recorder() != null)
            .findFirst()
            .map((method) -> method.recorder().hottest(limit))
            .orElse(List.of());
    }

    /** Saves the hot keys one last time and stops remembering (at shutdown, while Redis is still open). */
    public synchronized void stopRemembering() {
        if (this.memory != null) {
            this.memory.close();
            this.memory = null;
        }
    }

    @Override
    public synchronized void close() {
        if (this.memory != null) {
            this.memory.close();
        }
        this.engine.close();
    }
}
