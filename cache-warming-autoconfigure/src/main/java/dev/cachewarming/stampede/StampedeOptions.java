package dev.cachewarming.stampede;

import java.time.Duration;

/**
 * How a stampede-protected method waits for another instance's load.
 *
 * @param waitTimeout the longest a caller waits for another instance's load
 * @param onWaitTimeout what it does then
 * @param leaseTtl how long a load lease lasts without renewal (how long a dead holder can block others)
 * @param recheckInterval how long a waiter first waits for the holder's message before it looks for the value
 * (and the lease) itself; doubled after each look
 * @param maxRecheckInterval the most a waiter waits between two looks
 */
public record StampedeOptions(Duration waitTimeout, WaitTimeoutPolicy onWaitTimeout, Duration leaseTtl,
        Duration recheckInterval, Duration maxRecheckInterval) {

    /** The default first re-check: 50 ms. */
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMillis(50);

    /** The default longest interval between re-checks: 1 s. */
    public static final Duration DEFAULT_MAX_RECHECK_INTERVAL = Duration.ofSeconds(1);

    /**
     * Options with the default re-checks (50 ms, doubling up to 1 s).
     * @param waitTimeout the longest a caller waits for another instance's load
     * @param onWaitTimeout what it does then
     * @param leaseTtl how long a load lease lasts without renewal
     */
    public StampedeOptions(Duration waitTimeout, WaitTimeoutPolicy onWaitTimeout, Duration leaseTtl) {
        this(waitTimeout, onWaitTimeout, leaseTtl, DEFAULT_RECHECK_INTERVAL, DEFAULT_MAX_RECHECK_INTERVAL);
    }
}
