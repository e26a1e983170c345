package dev.cachewarming.warming;

/** Where a warm-up stands. */
public enum WarmupState {

    /** Not started yet (the application is starting). */
    PENDING,

    /** Loading keys. */
    RUNNING,

    /** Every planned key was handled. */
    COMPLETED,

    /** The budget ran out; what was not warmed is reported as skipped. */
    BUDGET_EXHAUSTED,

    /** The {@code REQUIRED} tier did not finish within {@code max-wait}. */
    FAILED;

    /** @return whether the warm-up has ended */
    public boolean isFinished() {
        return this == COMPLETED || this == BUDGET_EXHAUSTED || this == FAILED;
    }
}
