package dev.cachewarming.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureBurstTests {

    private static final long MS = 1_000_000L;

    private final FailureBurst burst = new FailureBurst(3, Duration.ofSeconds(1));

    @Test
    void threeFailuresWithinTheWindowAreABurst() {
        long t = System.nanoTime();

        assertThat(this.burst.record(t)).isFalse();
        assertThat(this.burst.record(t + 400 * MS)).isFalse();
        assertThat(this.burst.record(t + 900 * MS)).isTrue();
    }

    @Test
    void failuresSpreadWiderThanTheWindowAreNot() {
        long t = System.nanoTime();

        this.burst.record(t);
        this.burst.record(t + 600 * MS);
        assertThat(this.burst.record(t + 1200 * MS)).isFalse();
        assertThat(this.burst.record(t + 1500 * MS)).as("the last three: 600, 1200, 1500 ms").isTrue();
    }

    @Test
    void oneFailureIsABurstOfOne() {
        assertThat(new FailureBurst(1, Duration.ofSeconds(1)).record(System.nanoTime())).isTrue();
    }
}
