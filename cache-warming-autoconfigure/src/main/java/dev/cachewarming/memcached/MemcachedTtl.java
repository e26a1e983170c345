package dev.cachewarming.memcached;

/**
 * Memcached's expiry argument for a time to live. Memcached reads an expiry of up to 30 days as seconds from now,
 * and a larger one as an absolute Unix time: a TTL of 40 days sent as seconds would expire at once. Longer TTLs are
 * therefore sent as the absolute time (by this machine's clock), and every TTL is rounded up to whole seconds
 * plus one: Memcached's clock ticks once a second, so an item set with an expiry of {@code n} lives between
 * {@code n - 1} and {@code n} seconds. An item thus never expires before its entry does (the entry's own expiry,
 * stored in it, is what decides freshness), and outlives it by at most two seconds.
 */
final class MemcachedTtl {

    /** The longest expiry Memcached reads as relative: 30 days, in seconds. */
    static final int RELATIVE_LIMIT_SECONDS = 60 * 60 * 24 * 30;

    private MemcachedTtl() {
    }

    /**
     * @param ttlMillis a time to live, at least 1 ms
     * @param nowMillis the current time, epoch milliseconds
     * @return the expiry argument for Memcached
     */
    static int expiry(long ttlMillis, long nowMillis) {
        long seconds = Math.max(1, (ttlMillis + 999) / 1000) + 1;
        if (seconds <= RELATIVE_LIMIT_SECONDS) {
            return (int) seconds;
        }
        return (int) Math.min(Integer.MAX_VALUE, (nowMillis + 999) / 1000 + seconds);
    }
}
