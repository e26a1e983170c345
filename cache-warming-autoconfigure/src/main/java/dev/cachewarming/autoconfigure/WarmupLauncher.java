package dev.cachewarming.autoconfigure;

import java.time.LocalDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;

import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.WarmableMethod;
import dev.cachewarming.warming.WarmupState;

/**
 * Starts warming in the background once the application is ready (after its runners, so data they load can be
 * warmed), schedules the cron re-warms, and reports a {@code REQUIRED} tier that missed {@code max-wait} as
 * liveness {@code BROKEN} when {@code on-required-timeout=fail}; at shutdown, saves the hot keys a last time.
 */
class WarmupLauncher implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle, AutoCloseable {

    /**
     * Stops after the web server (no more traffic to count) and before Redis and the other lifecycle beans of
     * phase 0, so the last hot keys can still be saved there.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private volatile boolean running;

    private static final Log logger = LogFactory.getLog(WarmupLauncher.class);

    private final DefaultCacheWarming warming;

    private final ApplicationEventPublisher events;

    private ScheduledExecutorService cron;

    WarmupLauncher(DefaultCacheWarming warming, ApplicationEventPublisher events) {
        this.warming = warming;
        this.events = events;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        this.warming.start().whenComplete((state, failure) -> {
            if (failure != null) {
                logger.error("Warm-up failed", failure);
            }
            else if (state == WarmupState.FAILED && this.warming.engine().settings().failOnRequiredTimeout()) {
                logger.error("The REQUIRED warm-up tier missed cache-warming.warmup.max-wait: reporting liveness "
                        + "BROKEN (cache-warming.warmup.on-required-timeout=fail)");
                AvailabilityChangeEvent.publish(this.events, this, LivenessState.BROKEN);
            }
        });
        scheduleCronRewarms();
    }

    private synchronized void scheduleCronRewarms() {
        for (WarmableMethod method : this.warming.engine().methods()) {
            if (method.cron() == null || method.cron().isEmpty()) {
                continue;
            }
            if (this.cron == null) {
                this.cron = Executors.newSingleThreadScheduledExecutor((task) -> {
                    Thread thread = new Thread(task, "cache-warming-cron");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            scheduleNext(method.cacheName(), CronExpression.parse(method.cron()));
        }
    }

    private void scheduleNext(String cacheName, CronExpression expression) {
        LocalDateTime now = LocalDateTime.now();
        LocalDateTime next = expression.next(now);
        if (next == null) {
            return;
        }
        long delay = java.time.Duration.between(now, next).toMillis();
        this.cron.schedule(() -> {
            this.warming.rewarm(cacheName).whenComplete((state, failure) -> scheduleNext(cacheName, expression));
        }, Math.max(0, delay), TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        close();
        this.warming.stopRemembering();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public synchronized void close() {
        if (this.cron != null) {
            this.cron.shutdownNow();
            this.cron = null;
        }
    }
}
