package dev.cachewarming.memcached;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemcachedTtlTests {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void shortTtlsAreSecondsFromNowRoundedUpPlusOneForMemcachedsClock() {
        assertThat(MemcachedTtl.expiry(1, NOW)).isEqualTo(2);
        assertThat(MemcachedTtl.expiry(1000, NOW)).isEqualTo(2);
        assertThat(MemcachedTtl.expiry(1001, NOW)).isEqualTo(3);
        assertThat(MemcachedTtl.expiry(600_000, NOW)).isEqualTo(601);
    }

    @Test
    void ttlsOverThirtyDaysAreAnAbsoluteUnixTime() {
        long fortyDays = 40L * 86_400_000;
        int expiry = MemcachedTtl.expiry(fortyDays, NOW);

        assertThat(expiry).isGreaterThan(MemcachedTtl.RELATIVE_LIMIT_SECONDS);
        assertThat(expiry - NOW / 1000).isEqualTo(40L * 86_400 + 1);
    }

    @Test
    void theLastRelativeTtlStaysRelative() {
        assertThat(MemcachedTtl.expiry((MemcachedTtl.RELATIVE_LIMIT_SECONDS - 1) * 1000L, NOW))
            .isEqualTo(MemcachedTtl.RELATIVE_LIMIT_SECONDS);
    }
}
