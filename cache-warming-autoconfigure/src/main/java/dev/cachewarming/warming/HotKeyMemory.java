package dev.cachewarming.warming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;


/**
 * Drains the warmable methods' sampled traffic every second, warns about keys hotter than the alert rate, and saves
 * the hot keys to the {@link HotKeyStore} every persist interval and at shutdown.
 */
public final class HotKeyMemory implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(HotKeyMemory.class);

    private final List<WarmableMethod> methods;

    private final HotKeyStore store;

    private final Duration persistInterval;

    private final double decay;

    private final int keep;

    private final double alertRate;

    private final Map<String, Long> lastAlert = new ConcurrentHashMap<>();

    private ScheduledExecutorService scheduler;

    private final ShadowTraffic shadow;

    /**
     * @param methods the warmable methods (those without a recorder are ignored)
     * @param store where hot keys are saved
     * @param persistInterval how often they are saved
     * @param decay the weight of stored counts at each save (e.g. 0.5)
     * @param keep the most keys kept per cache
     * @param alertRate requests per second of one key above which a warning is logged; 0 for none
     * @param shadow where sampled keys are published live, or {@code null}
     */
    public HotKeyMemory(List<WarmableMethod> methods, HotKeyStore store, Duration persistInterval, double decay,
            int keep, double alertRate, ShadowTraffic shadow) {
        this.shadow = shadow;
        this.methods = methods.stream().filter((m) -> m.recorder() != null).toList();
        this.store = store;
        this.persistInterval = persistInterval;
        this.decay = decay;
        this.keep = keep;
        this.alertRate = alertRate;
    }

    /** Starts draining and saving in the background. */
    public synchronized void start() {
        if (this.scheduler != null || this.methods.isEmpty()) {
            return;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "cache-warming-hot-keys");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.scheduleWithFixedDelay(this::drain, 1, 1, TimeUnit.SECONDS);
        long persistMillis = this.persistInterval.toMillis();
        this.scheduler.scheduleWithFixedDelay(this::persist, persistMillis, persistMillis, TimeUnit.MILLISECONDS);
    }

    /** Moves sampled counts into the summaries and checks the alert rate. */
    public void drain() {
        for (WarmableMethod method : this.methods) {
            HotKeyRecorder recorder = method.recorder();
            recorder.drain();
            publishShadow(method, recorder);
            double rate = recorder.topRatePerSecond();
            if (this.alertRate > 0 && rate > this.alertRate) {
                long now = System.currentTimeMillis();
                Long last = this.lastAlert.get(method.cacheName());
                if (last == null || now - last >= 60_000) {
                    this.lastAlert.put(method.cacheName(), now);
                    logger.warn(String.format("Hot key in cache '%s': one key is read about %.0f times/s (alert "
                            + "above %.0f/s; logged at most once a minute)", method.cacheName(), rate,
                            this.alertRate));
                }
            }
        }
    }

    private void publishShadow(WarmableMethod method, HotKeyRecorder recorder) {
        if (this.shadow == null || recorder.lastDrained().isEmpty()) {
            return;
        }
        List<String> encoded = new ArrayList<>();
        for (Object key : recorder.lastDrained()) {
            encoded.add(method.argumentsCodec().encode(key));
        }
        try {
            this.shadow.publish(method.cacheName(), encoded);
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot publish shadow traffic of cache '" + method.cacheName() + "'", ex);
        }
    }

    /** Saves what was counted since the last save; failures are logged and the counts dropped. */
    public void persist() {
        for (WarmableMethod method : this.methods) {
            List<SpaceSavingSummary.Counted<Object>> counted = method.recorder().takeForPersist(this.keep);
            if (counted.isEmpty()) {
                continue;
            }
            List<SpaceSavingSummary.Counted<String>> encoded = new ArrayList<>(counted.size());
            for (SpaceSavingSummary.Counted<Object> entry : counted) {
                encoded.add(new SpaceSavingSummary.Counted<>(method.argumentsCodec().encode(entry.key()),
                        entry.count(), entry.error()));
            }
            try {
                this.store.save(method.cacheName(), encoded, this.decay, this.keep);
            }
            catch (RuntimeException ex) {
                logger.warn("Cannot save the hot keys of cache '" + method.cacheName() + "' to "
                        + this.store.describe() + ": " + ex.getMessage()
                        + ((ex.getCause() != null) ? " (" + ex.getCause() + ")" : ""));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
        persist();
    }
}
