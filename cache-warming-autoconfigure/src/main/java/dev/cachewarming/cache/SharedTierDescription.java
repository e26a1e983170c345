package dev.cachewarming.cache;

/**
 * What the shared tier (L2) of this application is and what it guarantees, as reported by
 * {@code /actuator/warming} and logged at startup.
 *
 * @param backend {@code redis}, {@code memcached} or {@code none}
 * @param invalidations how other instances hear of writes: {@code redis-pubsub}, or {@code none}
 * @param staleness how stale another instance's in-process copy can get after a write
 * @param hotKeys where remembered hot keys are kept
 * @param shadowTraffic whether shadow traffic can be shared: {@code available} or why it is not
 */
public record SharedTierDescription(String backend, String invalidations, String staleness, String hotKeys,
        String shadowTraffic) {

    /** Staleness when every write is published to the other instances. */
    public static final String STALENESS_PUBLISHED = "the message delay (milliseconds); at most l1-ttl if a "
            + "message is lost";

    /** Staleness when writes are not published. */
    public static final String STALENESS_L1_TTL = "up to l1-ttl: other instances are not told of writes";

    /** Staleness without a shared tier. */
    public static final String STALENESS_LOCAL = "none shared: every instance has its own caches";
}
