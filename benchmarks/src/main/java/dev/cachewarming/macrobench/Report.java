package dev.cachewarming.macrobench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects one benchmark's results as Markdown (a table and notes) and writes them to
 * {@code <bench.out>/<name>.md}, beside its charts, so docs/benchmarks.md can quote a real run.
 */
public final class Report {

    private final String name;

    private final List<String> lines = new ArrayList<>();

    /**
     * @param name the benchmark's name, used as the file name
     * @param title the heading
     */
    public Report(String name, String title) {
        this.name = name;
        this.lines.add("### " + title);
        this.lines.add("");
        this.lines.add("Run " + java.time.LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " CPUs, Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                + ").");
        this.lines.add("");
    }

    /** @return the directory results and charts go to ({@code -Dbench.out}, default {@code target/results}) */
    public static Path outputDirectory() {
        Path dir = Path.of(System.getProperty("bench.out", "target/results"));
        try {
            Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return dir;
    }

    /** @param cells the header cells of a table */
    public void header(String... cells) {
        this.lines.add("| " + String.join(" | ", cells) + " |");
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            rule.append(i == 0 ? "---|" : "---:|");
        }
        this.lines.add(rule.toString());
    }

    /** @param cells one table row */
    public void row(Object... cells) {
        StringBuilder row = new StringBuilder("|");
        for (Object cell : cells) {
            row.append(' ').append(format(cell)).append(" |");
        }
        this.lines.add(row.toString());
        System.out.println(row);
    }

    /** @param text a paragraph after the table */
    public void note(String text) {
        this.lines.add("");
        this.lines.add(text);
        System.out.println(text);
    }

    /** Writes the Markdown file. */
    public void write() {
        Path file = outputDirectory().resolve(this.name + ".md");
        try {
            Files.write(file, this.lines);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        System.out.println("Wrote " + file.toAbsolutePath());
    }

    /**
     * @param value a number or text
     * @return the cell text: whole numbers with thousands separators, others with two decimals
     */
    public static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return (Math.abs(d) >= 100) ? String.format(Locale.ROOT, "%,.0f", d)
                    : String.format(Locale.ROOT, "%.2f", d);
        }
        if (value instanceof Number number) {
            return String.format(Locale.ROOT, "%,d", number.longValue());
        }
        return String.valueOf(value);
    }
}
