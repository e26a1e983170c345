package dev.cachewarming.write;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Coalescing and backoff, without Redis. */
class WriteBatchTests {

    private static WriteBehindLog.Entry entry(String id, String key) {
        return new WriteBehindLog.Entry(id, key, new byte[0]);
    }

    @Test
    void batchKeepsTheLatestEntryOfEachKeyAndAcknowledgesAll() {
        List<WriteBehindLog.Entry> entries = List.of(entry("5-0", "a"), entry("10-0", "b"), entry("10-1", "a"),
                entry("9-3", "c"), entry("9-2", "c"));

        WriteBatch batch = WriteBatch.coalesce(entries);

        assertThat(batch.latest()).extracting(WriteBehindLog.Entry::id).containsExactly("10-1", "10-0", "9-3");
        assertThat(batch.ids()).hasSize(5);
    }

    @Test
    void streamIdsCompareNumericallyNotAsText() {
        assertThat(WriteBatch.compareIds("999-0", "1000-0")).isNegative();
        assertThat(WriteBatch.compareIds("1000-10", "1000-9")).isPositive();
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        RetryPolicy retry = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350));

        assertThat(List.of(retry.backoff(1), retry.backoff(2), retry.backoff(3), retry.backoff(30)))
            .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350),
                    Duration.ofMillis(350));
    }
}
