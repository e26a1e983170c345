package dev.cachewarming.annotation;

/**
 * Priority of a {@link Warmable} method's warm-up. Tiers run in this order, each finishing before the next starts.
 */
public enum WarmupTier {

    /**
     * Must be warm before the instance takes traffic: holds readiness past the warm-up budget, up to
     * {@code cache-warming.warmup.max-wait}.
     */
    REQUIRED,

    /** Warmed first among the rest, within the budget. */
    HIGH,

    /** Warmed last, with what remains of the budget. */
    LOW
}
