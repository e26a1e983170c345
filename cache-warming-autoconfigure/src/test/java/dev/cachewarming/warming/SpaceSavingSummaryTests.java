package dev.cachewarming.warming;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceSavingSummaryTests {

    @Test
    void heavyHittersSurviveAStreamOfManyRareKeys() {
        SpaceSavingSummary<String> summary = new SpaceSavingSummary<>(50);
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            double roll = random.nextDouble();
            String key = (roll < 0.2) ? "hot-a" : (roll < 0.35) ? "hot-b" : (roll < 0.45) ? "hot-c"
                    : "rare-" + random.nextInt(100_000);
            summary.add(key, 1);
        }

        assertThat(summary.size()).isEqualTo(50);
        assertThat(summary.top(3)).extracting(SpaceSavingSummary.Counted::key)
            .containsExactly("hot-a", "hot-b", "hot-c");
        SpaceSavingSummary.Counted<String> hottest = summary.top(1).get(0);
        assertThat(hottest.count() - hottest.error()).as("guaranteed count").isGreaterThan(3000);
    }

    @Test
    void mergedSummariesAddTheirCounts() {
        SpaceSavingSummary<String> a = new SpaceSavingSummary<>(10);
        SpaceSavingSummary<String> b = new SpaceSavingSummary<>(10);
        a.add("x", 5);
        a.add("y", 3);
        b.add("y", 4);

        a.merge(b);

        assertThat(a.top(2)).extracting(SpaceSavingSummary.Counted::key).containsExactly("y", "x");
        assertThat(a.top(1).get(0).count()).isEqualTo(7);
    }

    @Test
    void decayWeighsOldCountsDown() {
        SpaceSavingSummary<String> summary = new SpaceSavingSummary<>(10);
        summary.add("old", 10);
        summary.decay(0.5);
        summary.add("new", 6);

        assertThat(summary.top(2)).extracting(SpaceSavingSummary.Counted::key).containsExactly("new", "old");
    }
}
