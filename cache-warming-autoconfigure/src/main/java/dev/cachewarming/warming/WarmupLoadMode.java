package dev.cachewarming.warming;

/**
 * How a {@code @Warmable} method's keys that Redis does not hold are loaded during a warm-up. Shown per cache in
 * the warm-up summary and as {@code loadMode} in {@code /actuator/warming}.
 */
public enum WarmupLoadMode {

    /** Through the batch method named by {@code @Warmable(batchMethod)}: one call per batch. */
    BATCH_METHOD("batch-method"),

    /**
     * Through the Spring Data repository's {@code findAllById}, chosen automatically for an annotated
     * {@code findById}: one call per batch.
     */
    FIND_ALL_BY_ID("find-all-by-id"),

    /** One call of the method per key (it has no batch counterpart); values are still written in batches. */
    KEY_BY_KEY("key-by-key");

    private final String label;

    WarmupLoadMode(String label) {
        this.label = label;
    }

    /** @return the lower-case name shown in logs and in the endpoint, e.g. {@code find-all-by-id} */
    public String label() {
        return this.label;
    }

    @Override
    public String toString() {
        return this.label;
    }
}
