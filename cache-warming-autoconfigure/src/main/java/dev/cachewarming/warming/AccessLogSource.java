package dev.cachewarming.warming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays an access log: every (sampled) line that matches {@code pattern} gives the argument in its first
 * capturing group, e.g. {@code "GET /products/(\\d+)"}; arguments are returned most requested first.
 *
 * <p>The file is read when a warm-up plans, streaming, so a large log costs time but little memory (counts are
 * kept in a bounded {@link SpaceSavingSummary}). A missing file gives no keys.
 */
public final class AccessLogSource implements Supplier<Iterable<Object[]>> {

    private final Path file;

    private final Pattern pattern;

    private final double sampleRate;

    private final int capacity;

    private final Function<String, Object> converter;

    /**
     * @param file the log file
     * @param pattern a pattern whose first group is the argument
     * @param sampleRate the fraction of lines read (0 to 1)
     * @param capacity the most distinct arguments kept
     * @param converter turns the captured text into the parameter type
     */
    public AccessLogSource(Path file, Pattern pattern, double sampleRate, int capacity,
            Function<String, Object> converter) {
        this.file = file;
        this.pattern = pattern;
        this.sampleRate = sampleRate;
        this.capacity = capacity;
        this.converter = converter;
    }

    @Override
    public Iterable<Object[]> get() {
        if (!Files.isReadable(this.file)) {
            return List.of();
        }
        SpaceSavingSummary<String> counts = new SpaceSavingSummary<>(this.capacity);
        try (BufferedReader reader = Files.newBufferedReader(this.file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (this.sampleRate < 1.0 && ThreadLocalRandom.current().nextDouble() >= this.sampleRate) {
                    continue;
                }
                Matcher matcher = this.pattern.matcher(line);
                if (matcher.find() && matcher.group(1) != null) {
                    counts.add(matcher.group(1), 1);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read access log " + this.file, ex);
        }
        List<Object[]> calls = new ArrayList<>();
        for (SpaceSavingSummary.Counted<String> counted : counts.top(this.capacity)) {
            calls.add(new Object[] { this.converter.apply(counted.key()) });
        }
        return calls;
    }
}
