package dev.cachewarming.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The few PromQL functions the dashboard uses, evaluated over a run's scrapes: {@code rate} over a window (summed by
 * labels), gauges aggregated by labels, division, and {@code histogram_quantile}. Each result is one value per scrape;
 * {@code NaN} where Prometheus has no value (too early for the window, or 0 / 0).
 */
final class Queries {

    private final List<Scrape> scrapes;

    private final double window;

    /**
     * @param scrapes the scrapes, oldest first
     * @param window the rate window in seconds (the dashboard's {@code $__rate_interval})
     */
    Queries(List<Scrape> scrapes, double window) {
        this.scrapes = scrapes;
        this.window = window;
    }

    double[] seconds() {
        return this.scrapes.stream().mapToDouble(Scrape::seconds).toArray();
    }

    /** {@code sum by (by) (rate(metric{filter}[window]))}. */
    Map<String, double[]> rate(String metric, Predicate<Map<String, String>> filter, String... by) {
        Map<String, double[]> result = new TreeMap<>();
        for (int i = 0; i < this.scrapes.size(); i++) {
            int start = windowStart(i);
            if (start < 0) {
                continue;
            }
            Scrape now = this.scrapes.get(i);
            Scrape then = this.scrapes.get(start);
            double elapsed = now.seconds() - then.seconds();
            for (Map.Entry<Map<String, String>, Double> sample : now.of(metric).entrySet()) {
                if (!filter.test(sample.getKey())) {
                    continue;
                }
                Double before = then.of(metric).get(sample.getKey());
                if (before == null) {
                    continue;
                }
                double increase = (sample.getValue() >= before) ? sample.getValue() - before : sample.getValue();
                add(result, Scrape.group(sample.getKey(), List.of(by)), i, increase / elapsed);
            }
        }
        return result;
    }

    /** {@code min by (by) (metric{filter})} when {@code min}, else {@code max by}. */
    Map<String, double[]> gauge(String metric, Predicate<Map<String, String>> filter, boolean min, String... by) {
        Map<String, double[]> result = new TreeMap<>();
        for (int i = 0; i < this.scrapes.size(); i++) {
            for (Map.Entry<Map<String, String>, Double> sample : this.scrapes.get(i).of(metric).entrySet()) {
                if (filter.test(sample.getKey())) {
                    double[] values = result.computeIfAbsent(Scrape.group(sample.getKey(), List.of(by)),
                            (key) -> nans());
                    double v = sample.getValue();
                    values[i] = Double.isNaN(values[i]) ? v : (min ? Math.min(values[i], v) : Math.max(values[i], v));
                }
            }
        }
        return result;
    }

    /** {@code a / b} for the groups both have; {@code NaN} where {@code b} is 0. */
    static Map<String, double[]> divide(Map<String, double[]> a, Map<String, double[]> b) {
        Map<String, double[]> result = new TreeMap<>();
        a.forEach((group, numerator) -> {
            double[] denominator = b.get(group);
            if (denominator != null) {
                double[] ratio = new double[numerator.length];
                for (int i = 0; i < ratio.length; i++) {
                    ratio[i] = (denominator[i] == 0) ? Double.NaN : numerator[i] / denominator[i];
                }
                result.put(group, ratio);
            }
        });
        return result;
    }

    /**
     * {@code histogram_quantile(q, sum by (by, le) (rate(bucket{filter}[window])))}, interpolating linearly inside
     * the bucket the rank falls in, as Prometheus does.
     */
    Map<String, double[]> quantile(double q, String bucketMetric, Predicate<Map<String, String>> filter,
            String... by) {
        List<String> byLe = new ArrayList<>(List.of(by));
        byLe.add("le");
        Map<String, double[]> buckets = rate(bucketMetric, filter, byLe.toArray(String[]::new));
        Map<String, TreeMap<Double, double[]>> grouped = new TreeMap<>();
        buckets.forEach((key, values) -> {
            int cut = key.lastIndexOf(' ');
            String group = (cut < 0) ? "" : key.substring(0, cut);
            double le = Double.parseDouble(key.substring(cut + 1).replace("+Inf", "Infinity"));
            grouped.computeIfAbsent(group, (g) -> new TreeMap<>()).put(le, values);
        });
        Map<String, double[]> result = new TreeMap<>();
        grouped.forEach((group, byBound) -> {
            double[] values = nans();
            for (int i = 0; i < values.length; i++) {
                values[i] = quantileAt(q, byBound, i);
            }
            result.put(group, values);
        });
        return result;
    }

    private static double quantileAt(double q, TreeMap<Double, double[]> byBound, int i) {
        double total = byBound.lastEntry().getValue()[i];
        if (Double.isNaN(total) || total == 0 || byBound.lastKey() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, double[]> bucket : byBound.entrySet()) {
            double count = bucket.getValue()[i];
            if (count >= rank) {
                if (bucket.getKey() == Double.POSITIVE_INFINITY) {
                    return lowerBound;
                }
                return lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / (count - lowerCount);
            }
            lowerBound = bucket.getKey();
            lowerCount = count;
        }
        return Double.NaN;
    }

    /** The scrape {@code window} seconds before scrape {@code i} (or -1 while the run is younger than that). */
    private int windowStart(int i) {
        double from = this.scrapes.get(i).seconds() - this.window;
        for (int j = i - 1; j >= 0; j--) {
            if (this.scrapes.get(j).seconds() <= from) {
                return j;
            }
        }
        return -1;
    }

    private void add(Map<String, double[]> result, String group, int i, double value) {
        double[] values = result.computeIfAbsent(group, (key) -> nans());
        values[i] = Double.isNaN(values[i]) ? value : values[i] + value;
    }

    private double[] nans() {
        double[] values = new double[this.scrapes.size()];
        Arrays.fill(values, Double.NaN);
        return values;
    }
}
