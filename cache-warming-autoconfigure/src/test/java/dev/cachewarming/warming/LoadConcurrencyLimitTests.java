package dev.cachewarming.warming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound on a warm-up's loads at once, with real threads and loads that take real time (sleeps stand in for
 * database queries whose latency depends on how many run at once).
 */
class LoadConcurrencyLimitTests {

    private static final int THREADS = 8;

    /** Runs 8 threads of 40 loads each; a load takes {@code millis(inFlight)}. */
    private static void hammer(LoadConcurrencyLimit limit, IntUnaryOperator millis) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 40; i++) {
                        limit.run(() -> {
                            int now = inFlight.incrementAndGet();
                            try {
                                // The simulated query itself (its duration is the latency the limit reads).
                                Thread.sleep(millis.applyAsInt(now));
                            }
                            finally {
                                inFlight.decrementAndGet();
                            }
                            return null;
                        });
                    }
                }
                catch (Exception ex) {
                    failures.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).hasValue(0);
    }

    @Test
    void adaptiveLimitBacksOffWhenTheDatabaseQueues() throws Exception {
        // A database that does one query at a time: each load waits for the others running with it.
        LoadConcurrencyLimit limit = LoadConcurrencyLimit.adaptive(THREADS, Duration.ofMinutes(1));

        hammer(limit, (inFlight) -> 3 * inFlight);

        assertThat(limit.current()).as("limit at the end").isLessThanOrEqualTo(4);
        assertThat(limit.maxInFlight()).as("most loads at once").isLessThan(THREADS);
    }

    @Test
    void adaptiveLimitGrowsToTheMaximumWhileLatencyHolds() throws Exception {
        // A database with room to spare: latency does not depend on the loads at once.
        LoadConcurrencyLimit limit = LoadConcurrencyLimit.adaptive(THREADS, Duration.ofMinutes(1));

        hammer(limit, (inFlight) -> 3);

        assertThat(limit.current()).isEqualTo(THREADS);
        assertThat(limit.maxInFlight()).isEqualTo(THREADS);
    }

    @Test
    void fixedLimitRunsTheConfiguredLoadsAtOnceWhateverTheLatency() throws Exception {
        LoadConcurrencyLimit limit = LoadConcurrencyLimit.fixed(THREADS, Duration.ofMinutes(1));

        hammer(limit, (inFlight) -> 3 * inFlight);

        assertThat(limit.current()).isEqualTo(THREADS);
        assertThat(limit.maxInFlight()).isEqualTo(THREADS);
    }
}
