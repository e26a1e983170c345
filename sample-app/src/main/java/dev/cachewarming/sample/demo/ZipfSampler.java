package dev.cachewarming.sample.demo;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Draws ranks 1..n with Zipf probabilities (rank k with weight 1/k^s): a few products get most requests, like real
 * catalog traffic. The cumulative distribution is computed once; a draw is a binary search. Thread-safe.
 */
final class ZipfSampler {

    private final double[] cumulative;

    ZipfSampler(int n, double exponent) {
        this.cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1.0 / Math.pow(k, exponent);
            this.cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            this.cumulative[i] /= sum;
        }
    }

    /** @return a rank from 1 to n */
    int next() {
        int index = Arrays.binarySearch(this.cumulative, ThreadLocalRandom.current().nextDouble());
        return ((index >= 0) ? index : -index - 1) + 1;
    }
}
