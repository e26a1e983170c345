package dev.cachewarming.refresh;

import org.junit.jupiter.api.Test;

import dev.cachewarming.cache.CacheEntry;

import static org.assertj.core.api.Assertions.assertThat;

class XFetchPolicyTests {

    // Written at 0, fresh until 10s, took 100ms to load.
    private final CacheEntry entry = new CacheEntry("v", 0, 10_000, 100_000_000L);

    @Test
    void farFromExpiryARefreshIsVeryUnlikely() {
        XFetchPolicy policy = new XFetchPolicy(1.0, 0);

        assertThat(policy.shouldRefresh(this.entry, 1_000, 0.5)).isFalse();
        // Only a random draw below e^-90 would refresh 9s early with a 100ms load.
        assertThat(policy.shouldRefresh(this.entry, 1_000, 1e-30)).isFalse();
    }

    @Test
    void closeToExpiryMostDrawsRefresh() {
        XFetchPolicy policy = new XFetchPolicy(1.0, 0);
        int refreshes = 0;
        for (int i = 1; i <= 1000; i++) {
            if (policy.shouldRefresh(this.entry, 9_950, i / 1000.0)) {
                refreshes++;
            }
        }
        // 50ms before expiry with delta 100ms: refresh when -ln(r) >= 0.5, i.e. r <= e^-0.5 = 0.607.
        assertThat(refreshes).isBetween(600, 610);
    }

    @Test
    void higherBetaRefreshesEarlier() {
        assertThat(new XFetchPolicy(1.0, 0).shouldRefresh(this.entry, 9_700, 0.2)).isFalse();
        assertThat(new XFetchPolicy(3.0, 0).shouldRefresh(this.entry, 9_700, 0.2)).isTrue();
    }

    @Test
    void fixedThresholdRefreshesOnceTheFractionOfTtlHasPassed() {
        XFetchPolicy policy = new XFetchPolicy(0, 0.8);

        assertThat(policy.shouldRefresh(this.entry, 7_999, 1.0)).isFalse();
        assertThat(policy.shouldRefresh(this.entry, 8_000, 1.0)).isTrue();
    }

    @Test
    void betaZeroAndNoThresholdNeverRefreshes() {
        assertThat(new XFetchPolicy(0, 0).shouldRefresh(this.entry, 9_999, 1e-9)).isFalse();
    }

    @Test
    void noDrawReachesFurtherThanTheLargestWeightSoHitsBeyondItDrawNothing() {
        XFetchPolicy policy = new XFetchPolicy(1.0, 0);
        // The smallest number the drawing version can use, 1 - nextDouble() = 2^-53, reaches 36.74 load times
        // (3,674 ms here) before expiry: 3,673 ms before it refreshes, 3,676 ms before it cannot.
        assertThat(policy.shouldRefresh(this.entry, 10_000 - 3_673, 0x1.0p-53)).isTrue();
        assertThat(policy.shouldRefresh(this.entry, 10_000 - 3_676, 0x1.0p-53)).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(policy.shouldRefresh(this.entry, 10_000 - 3_676)).isFalse();
        }
    }

    @Test
    void withinReachTheDrawingVersionRefreshesAsOftenAsTheFormulaSays() {
        XFetchPolicy policy = new XFetchPolicy(1.0, 0);
        int refreshes = 0;
        for (int i = 0; i < 10_000; i++) {
            if (policy.shouldRefresh(this.entry, 9_950)) {
                refreshes++;
            }
        }
        // As closeToExpiryMostDrawsRefresh: a draw refreshes with probability e^-0.5 = 0.607.
        assertThat(refreshes).isBetween(5_800, 6_330);
        assertThat(new XFetchPolicy(0, 0.8).shouldRefresh(this.entry, 8_000)).isTrue();
        assertThat(new XFetchPolicy(0, 0.8).shouldRefresh(this.entry, 7_999)).isFalse();
    }
}
