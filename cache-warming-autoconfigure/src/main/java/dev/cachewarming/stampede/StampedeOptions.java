package dev.cachewarming.stampede;

import java.time.Duration;

/**
 * How a stampede-protected method waits for another instance's load.
 *
 * @param waitTimeout the longest a caller waits for another instance's load
 * @param onWaitTimeout what it does then
 * @param leaseTtl how long a load lease lasts without renewal (how long a dead holder can block others)
 */
public record StampedeOptions(Duration waitTimeout, WaitTimeoutPolicy onWaitTimeout, Duration leaseTtl) {
}
