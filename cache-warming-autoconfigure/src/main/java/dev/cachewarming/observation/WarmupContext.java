package dev.cachewarming.observation;

import java.util.List;

import io.micrometer.observation.Observation;

/**
 * What a {@code cache.warming} observation sees: one warm-up run, of every warmable cache or of one re-warmed
 * cache. Each batch is a {@code cache.warming.batch} observation inside it.
 */
public final class WarmupContext extends Observation.Context {

    /** The {@code cache} key value of a run that warms every warmable cache. */
    public static final String ALL_CACHES = "all";

    private final List<String> cacheNames;

    private final boolean allCaches;

    private volatile String result;

    private volatile int plannedKeys;

    /**
     * @param cacheNames the caches this run warms
     * @param allCaches whether the run warms every warmable cache (rather than re-warming one)
     */
    public WarmupContext(List<String> cacheNames, boolean allCaches) {
        this.cacheNames = List.copyOf(cacheNames);
        this.allCaches = allCaches;
    }

    /** @return the caches this run warms */
    public List<String> getCacheNames() {
        return this.cacheNames;
    }

    /** @return whether the run warms every warmable cache */
    public boolean isAllCaches() {
        return this.allCaches;
    }

    /**
     * @return the final state in lower case ({@code completed}, {@code budget-exhausted}, {@code failed}), or
     * {@code null} while the run is under way
     */
    public String getResult() {
        return this.result;
    }

    /** @param result the final state, lower case */
    public void setResult(String result) {
        this.result = result;
    }

    /** @return how many keys the run planned to warm (known once the sources were read) */
    public int getPlannedKeys() {
        return this.plannedKeys;
    }

    /** @param plannedKeys how many keys the run planned to warm */
    public void setPlannedKeys(int plannedKeys) {
        this.plannedKeys = plannedKeys;
    }
}
