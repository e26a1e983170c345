package dev.cachewarming.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveTimeoutTests {

    private final AdaptiveTimeout timeout = new AdaptiveTimeout(Duration.ofMillis(20), Duration.ofMillis(250), 4);

    @Test
    void givesTheCapUntilEnoughAnswersAreSeen() {
        record(AdaptiveTimeout.MIN_SAMPLES - 1, Duration.ofMillis(1));

        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aFastRedisIsGivenTheFloor() {
        record(AdaptiveTimeout.WINDOW, Duration.ofMillis(1));

        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aSlowerRedisIsGivenAMultipleOfItsP99() {
        record(AdaptiveTimeout.WINDOW - 2, Duration.ofMillis(2));
        record(2, Duration.ofMillis(10));

        // 2 of 256 answers took 10 ms: the p99 (the 254th) is 2 ms.
        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(20));

        record(AdaptiveTimeout.WINDOW, Duration.ofMillis(15));
        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void neverGivesMoreThanTheCap() {
        record(AdaptiveTimeout.WINDOW, Duration.ofMillis(200));

        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void recentAnswersReplaceOldOnes() {
        record(AdaptiveTimeout.WINDOW, Duration.ofMillis(40));
        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(160));

        record(AdaptiveTimeout.WINDOW, Duration.ofMillis(1));

        assertThat(this.timeout.timeout()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aFixedTimeoutIgnoresLatencies() {
        AdaptiveTimeout fixed = AdaptiveTimeout.fixed(Duration.ofMillis(250));

        for (int i = 0; i < AdaptiveTimeout.WINDOW; i++) {
            fixed.record(Duration.ofMillis(1).toNanos());
        }

        assertThat(fixed.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    private void record(int answers, Duration latency) {
        for (int i = 0; i < answers; i++) {
            this.timeout.record(latency.toNanos());
        }
    }
}
