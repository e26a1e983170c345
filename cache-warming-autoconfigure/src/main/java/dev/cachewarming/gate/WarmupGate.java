package dev.cachewarming.gate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.cachewarming.warming.CacheWarming;
import dev.cachewarming.warming.CacheWarmupProgress;
import dev.cachewarming.warming.WarmupState;

/**
 * Holds the readiness probe while the caches warm: {@code OUT_OF_SERVICE} from startup until the warm-up ends
 * (completed, or its budget ran out), then {@code UP}. A {@code REQUIRED} tier that missed {@code max-wait} keeps
 * it {@code OUT_OF_SERVICE}.
 *
 * <p>Registered as the {@code warmup} health indicator and added to the {@code readiness} group, so
 * {@code /actuator/health/readiness} answers 503 until the instance is warm while liveness stays 200.
 */
public class WarmupGate implements HealthIndicator {

    private final CacheWarming warming;

    /**
     * @param warming the warming whose state holds readiness
     */
    public WarmupGate(CacheWarming warming) {
        this.warming = warming;
    }

    /** @return whether the instance may take traffic, as far as warming is concerned */
    public boolean isOpen() {
        WarmupState state = this.warming.state();
        return state == WarmupState.COMPLETED || state == WarmupState.BUDGET_EXHAUSTED;
    }

    @Override
    public Health health() {
        Map<String, Object> progress = new LinkedHashMap<>();
        for (CacheWarmupProgress cache : this.warming.progress().values()) {
            progress.put(cache.cache(), String.format("%d/%d", cache.done(), cache.planned()));
        }
        Health.Builder builder = isOpen() ? Health.up() : Health.outOfService();
        return builder.withDetail("state", this.warming.state()).withDetail("caches", progress).build();
    }
}
