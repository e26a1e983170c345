package dev.cachewarming.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entry's compact form keeps its timing facts: exact write times for lifetimes up to 24 days, to the second
 * beyond; load times to the microsecond.
 */
class CacheEntryTests {

    @Test
    void writeTimeIsExactForLifetimesOfDays() {
        long writtenAt = 1_767_225_600_123L;
        long expiresAt = writtenAt + Duration.ofDays(24).toMillis() + 7;

        CacheEntry entry = new CacheEntry("v", writtenAt, expiresAt, 0);

        assertThat(entry.writtenAt()).isEqualTo(writtenAt);
        assertThat(entry.expiresAt()).isEqualTo(expiresAt);
    }

    @Test
    void writeTimeIsKeptToTheSecondForLifetimesOfMonths() {
        long writtenAt = 1_767_225_600_123L;
        long expiresAt = writtenAt + Duration.ofDays(400).toMillis();

        CacheEntry entry = new CacheEntry("v", writtenAt, expiresAt, 0);

        assertThat(entry.expiresAt()).isEqualTo(expiresAt);
        assertThat(entry.writtenAt()).isBetween(writtenAt, writtenAt + 999);
    }

    @Test
    void loadTimeIsKeptToTheMicrosecondAndCappedAtHalfAnHour() {
        assertThat(new CacheEntry("v", 0, 1, 1_234_567L).loadNanos()).isEqualTo(1_234_000L);
        assertThat(new CacheEntry("v", 0, 1, Duration.ofHours(2).toNanos()).loadNanos())
            .isEqualTo(Integer.MAX_VALUE * 1000L);
        assertThat(new CacheEntry("v", 0, 1, -5).loadNanos()).isZero();
    }

    @Test
    void entriesWithTheSameFactsAreEqual() {
        assertThat(new CacheEntry("v", 1, 2, 3_000)).isEqualTo(new CacheEntry("v", 1, 2, 3_999))
            .hasSameHashCodeAs(new CacheEntry("v", 1, 2, 3_000))
            .isNotEqualTo(new CacheEntry("v", 0, 2, 3_000));
    }
}
