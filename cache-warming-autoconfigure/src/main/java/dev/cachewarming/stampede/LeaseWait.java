package dev.cachewarming.stampede;

import io.micrometer.observation.Observation;

import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.LeaseWaitContext;

/**
 * One caller's {@code cache.lease.wait} observation, started when it first waits and ended once, with the first
 * result (a later failure, such as the load after the lease was taken, does not change it). The static methods
 * accept {@code null}: a caller that never waited has nothing to end.
 */
final class LeaseWait {

    private final Observation observation;

    private final LeaseWaitContext context;

    private boolean ended;

    private LeaseWait(Observation observation, LeaseWaitContext context) {
        this.observation = observation;
        this.context = context;
    }

    static LeaseWait start(CacheObservations observations, String cacheName, Object key) {
        if (observations.isNoop()) {
            return null;
        }
        LeaseWaitContext context = new LeaseWaitContext(cacheName, key);
        return new LeaseWait(observations.leaseWait(context).start(), context);
    }

    /**
     * @param wait the wait, or {@code null}
     * @param result how it ended
     * @param error what the caller is about to throw because of it, or {@code null}
     */
    static void end(LeaseWait wait, LeaseWaitContext.Result result, Throwable error) {
        if (wait != null && !wait.ended) {
            wait.ended = true;
            wait.context.setResult(result);
            if (error != null) {
                wait.observation.error(error);
            }
            wait.observation.stop();
        }
    }

    static void fail(LeaseWait wait, Throwable error) {
        end(wait, LeaseWaitContext.Result.FAILURE, error);
    }
}
