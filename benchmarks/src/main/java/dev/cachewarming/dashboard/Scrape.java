package dev.cachewarming.dashboard;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of {@code /actuator/prometheus}: every sample of the text exposition format, by metric name and labels.
 * @param seconds when it was taken, in seconds since the first scrape
 * @param samples metric name to (labels to value)
 */
record Scrape(double seconds, Map<String, Map<Map<String, String>, Double>> samples) {

    /** The samples of one metric, or none. */
    Map<Map<String, String>, Double> of(String metric) {
        return this.samples.getOrDefault(metric, Map.of());
    }

    /**
     * Parses the Prometheus text format ({@code name{label="value",...} value}); comments and blank lines are skipped.
     */
    static Scrape parse(double seconds, String text) {
        Map<String, Map<Map<String, String>, Double>> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                labels = labels(line.substring(brace + 1, close));
            }
            else {
                name = line.substring(0, line.indexOf(' '));
                labels = Map.of();
            }
            double value = Double.parseDouble(line.substring(space + 1).trim().replace("+Inf", "Infinity"));
            samples.computeIfAbsent(name, (key) -> new LinkedHashMap<>()).put(labels, value);
        }
        return new Scrape(seconds, samples);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            String key = text.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            while (text.charAt(j) != '"') {
                char c = text.charAt(j);
                if (c == '\\') {
                    j++;
                    c = (text.charAt(j) == 'n') ? '\n' : text.charAt(j);
                }
                value.append(c);
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }

    /** Sorted label values named by {@code by}, joined with a space: the group a sample falls in. */
    static String group(Map<String, String> labels, List<String> by) {
        StringBuilder key = new StringBuilder();
        for (String label : by) {
            if (!key.isEmpty()) {
                key.append(' ');
            }
            key.append(labels.getOrDefault(label, ""));
        }
        return key.toString();
    }
}
