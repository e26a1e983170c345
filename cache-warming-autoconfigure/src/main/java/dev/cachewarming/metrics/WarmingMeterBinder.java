package dev.cachewarming.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.warming.CacheWarmupProgress;
import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.WarmableMethod;

/**
 * Warming meters, tagged {@code cache}:
 * <ul>
 * <li>{@code cache.warming.keys} (counter, tag {@code result}: l2, loaded, failed, skipped), over every warm-up
 * since startup;</li>
 * <li>{@code cache.warming.progress} (gauge, 0 to 1) of the last or current warm-up;</li>
 * <li>{@code cache.warming.duration} (time gauge) of the last or current warm-up;</li>
 * <li>{@code cache.warming.run} (timer): one sample per warm-up or re-warm of the cache, so that
 * {@code management.metrics.distribution.*} can give its percentiles and histogram buckets;</li>
 * <li>{@code cache.warming.hotkey.rate} (gauge): estimated requests per second of the cache's hottest key.</li>
 * </ul>
 * Meters are registered for every cache (0 for caches no {@code @Warmable} method fills).
 */
public class WarmingMeterBinder implements MeterBinder {

    private final DefaultCacheWarming warming;

    private final TieredCacheRegistry caches;

    // Binding twice to one registry would add a second run listener, and every run would be timed twice.
    private final java.util.Set<MeterRegistry> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param warming the warming
     * @param caches the caches
     */
    public WarmingMeterBinder(DefaultCacheWarming warming, TieredCacheRegistry caches) {
        this.warming = warming;
        this.caches = caches;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!this.bound.add(registry)) {
            return;
        }
        this.warming.addRunListener((progress) -> runTimer(registry, progress.cache()).record(progress.elapsed()));
        this.caches.onCacheCreated((cache) -> bind(cache, registry));
    }

    private static Timer runTimer(MeterRegistry registry, String cache) {
        return Timer.builder("cache.warming.run")
            .tag("cache", cache)
            .description("Warm-ups and re-warms of the cache and how long each took")
            .register(registry);
    }

    private void bind(TieredCache cache, MeterRegistry registry) {
        String name = cache.name();
        Tags tags = Tags.of("cache", name);
        for (String result : new String[] { "l2", "loaded", "failed", "skipped" }) {
            FunctionCounter.builder("cache.warming.keys", this.warming, (w) -> {
                CacheWarmupProgress progress = w.progress().get(name);
                return (progress != null) ? progress.total(result) : 0;
            }).tags(tags.and("result", result)).description("Keys handled by warm-ups, by outcome").register(registry);
        }
        runTimer(registry, name);
        Gauge.builder("cache.warming.progress", this.warming, (w) -> {
            CacheWarmupProgress progress = w.progress().get(name);
            return (progress != null) ? progress.progress() : 0;
        }).tags(tags).description("Fraction of the planned keys handled by the last warm-up").register(registry);
        TimeGauge.builder("cache.warming.duration", this.warming, TimeUnit.MILLISECONDS, (w) -> {
            CacheWarmupProgress progress = w.progress().get(name);
            return (progress != null) ? progress.elapsed().toMillis() : 0;
        }).tags(tags).description("Duration of the last warm-up").register(registry);
        Gauge.builder("cache.warming.hotkey.rate", this.warming, (w) -> w.engine()
            .methods()
            .stream()
            .filter((m) -> m.cacheName().equals(name) && m.recorder() != null)
            .findFirst()
            .map(WarmableMethod::recorder)
            .map((recorder) -> recorder.topRatePerSecond())
            .orElse(0.0)).tags(tags).description("Estimated requests per second of the hottest key").register(registry);
    }
}
