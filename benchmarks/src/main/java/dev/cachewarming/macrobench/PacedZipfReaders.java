package dev.cachewarming.macrobench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Reader threads that read Zipf(0.99)-distributed keys at a fixed total rate until a deadline, the traffic of the
 * refresh-ahead and cold-start benchmarks. Each thread keeps its own schedule; a reader that falls behind (a call
 * blocked on a load) does not burst to catch up, so blocked callers make fewer reads, as real ones would.
 */
final class PacedZipfReaders {

    /** What one reader does with a sampled key. */
    @FunctionalInterface
    interface Read {

        /**
         * @param rank the key's rank, 1 (hottest) to the number of keys
         * @param sequence how many reads this reader made before
         */
        void read(int rank, long sequence);
    }

    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts the readers, named {@code reader-<n>}.
     * @param readers how many threads
     * @param readsPerSecond the total rate
     * @param keys how many keys (ranks 1 to {@code keys})
     * @param startNanos when to start, {@link System#nanoTime()}
     * @param endNanos when to stop
     * @param read what each read does
     */
    PacedZipfReaders(int readers, int readsPerSecond, int keys, long startNanos, long endNanos, Read read) {
        long periodNanos = 1_000_000_000L * readers / readsPerSecond;
        for (int t = 0; t < readers; t++) {
            int reader = t;
            Thread thread = new Thread(() -> {
                UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create();
                RejectionInversionZipfSampler zipf = new RejectionInversionZipfSampler(random, keys, 0.99);
                long next = startNanos + reader * periodNanos / readers;
                long sequence = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= endNanos) {
                        break;
                    }
                    if (next > now) {
                        LockSupport.parkNanos(next - now);
                    }
                    next += periodNanos;
                    read.read(zipf.sample(), sequence++);
                }
            }, "reader-" + t);
            thread.start();
            this.threads.add(thread);
        }
    }

    /** Waits for every reader to reach the deadline. */
    void join() throws InterruptedException {
        for (Thread thread : this.threads) {
            thread.join();
        }
    }
}
