package dev.cachewarming.warming;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cachewarming.cache.ArgumentsKey;

import static org.assertj.core.api.Assertions.assertThat;

class HotKeyRecorderTests {

    @Test
    void aboutTheConfiguredFractionOfCallsIsSampled() {
        HotKeyRecorder recorder = new HotKeyRecorder(0.1, 100);
        int sampled = 0;
        for (int i = 0; i < 100_000; i++) {
            if (recorder.sample()) {
                sampled++;
            }
        }

        assertThat(sampled).isBetween(9_000, 11_000);
    }

    @Test
    void callsMadeWhileWarmingAreNotSampled() throws Exception {
        HotKeyRecorder recorder = new HotKeyRecorder(1.0, 100);
        boolean[] sampledWhileWarming = new boolean[1];

        HotKeyRecorder.asWarming(() -> sampledWhileWarming[0] = recorder.sample());

        assertThat(sampledWhileWarming[0]).isFalse();
        assertThat(recorder.sample()).isTrue();
    }

    @Test
    void drainedCountsAreHandedOverOnceAndEstimateCallsFromTheSampleRate() {
        HotKeyRecorder recorder = new HotKeyRecorder(0.5, 100);
        for (int i = 0; i < 10; i++) {
            recorder.record(new ArgumentsKey(new Object[] { 1L }));
        }
        recorder.record(new ArgumentsKey(new Object[] { 2L }));

        List<SpaceSavingSummary.Counted<Object>> first = recorder.takeForPersist(10);
        assertThat(recorder.topKey()).as("hottest of the last interval").isEqualTo(new ArgumentsKey(new Object[] { 1L }));
        List<SpaceSavingSummary.Counted<Object>> second = recorder.takeForPersist(10);

        assertThat(first).extracting(SpaceSavingSummary.Counted::count).containsExactly(10.0, 1.0);
        assertThat(second).allSatisfy((counted) -> assertThat(counted.count()).isZero());
        assertThat(recorder.hottest(1).get(0).count()).as("10 sampled at 0.5").isEqualTo(20.0);
        assertThat(recorder.topKey()).as("an interval without calls has no hottest key").isNull();
    }
}
