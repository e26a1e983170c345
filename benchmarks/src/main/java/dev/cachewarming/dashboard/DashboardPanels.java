package dev.cachewarming.dashboard;

import static dev.cachewarming.dashboard.DashboardPicture.labels;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The nine panels of {@code docs/grafana/cache-warming.json}, in the same 3 × 3 layout, each computed with the
 * panel's expressions (see {@link Queries}) and drawn with XChart into one PNG.
 */
final class DashboardPanels {

    private static final int WIDTH = 1600;

    private static final int HEADER = 40;

    private static final int PANEL_HEIGHT = 320;

    private static final Color[] COLORS = { new Color(0x73, 0xBF, 0x69), new Color(0xF2, 0xCC, 0x0C),
            new Color(0x56, 0x94, 0xF2), new Color(0xFF, 0x78, 0x3C), new Color(0xB8, 0x77, 0xD9),
            new Color(0xF2, 0x49, 0x5C), new Color(0x8A, 0xB8, 0xFF) };

    private final Queries q;

    private final Predicate<Map<String, String>> cache;

    private final String name;

    DashboardPanels(Queries queries, String cache) {
        this.q = queries;
        this.cache = labels("cache", cache);
        this.name = cache;
    }

    void render(Path file, String title) throws IOException {
        XYChart[] panels = { tierHitRate(), bootHitRatio(), loads(), loadLatency(), warmingProgress(), warmedKeys(),
                refresh(), stampede(), sharedTier() };
        int panelWidth = WIDTH / 3;
        BufferedImage image = new BufferedImage(WIDTH, HEADER + 3 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0x18, 0x1B, 0x1F));
        g.fillRect(0, 0, WIDTH, HEADER);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 14, 27);
        for (int i = 0; i < panels.length; i++) {
            Graphics2D cell = (Graphics2D) g.create((i % 3) * panelWidth, HEADER + (i / 3) * PANEL_HEIGHT, panelWidth,
                    PANEL_HEIGHT);
            panels[i].paint(cell, panelWidth, PANEL_HEIGHT);
            cell.dispose();
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private XYChart tierHitRate() {
        Map<String, double[]> series = Queries.divide(
                this.q.rate("cache_tiered_gets_total", this.cache.and(labels("result", "hit")), "tier"),
                this.q.rate("cache_tiered_gets_total", this.cache, "tier"));
        return chart("Hit rate per tier (cache_tiered_gets_total)", "hit rate", prefixed(series, "")).percent();
    }

    private XYChart bootHitRatio() {
        Map<String, double[]> series = Queries.divide(
                this.q.rate("cache_gets_total", this.cache.and(labels("result", "hit")), "cache"),
                this.q.rate("cache_gets_total", this.cache, "cache"));
        return chart("Hit ratio (Boot cache_gets_total)", "hit ratio", series).percent();
    }

    private XYChart loads() {
        return chart("Loads/s (cache_tiered_loads_total)", "loads/s",
                this.q.rate("cache_tiered_loads_total", this.cache, "result")).rates();
    }

    private XYChart loadLatency() {
        Predicate<Map<String, String>> success = this.cache.and(labels("result", "success"));
        Map<String, double[]> series = new LinkedHashMap<>();
        series.putAll(prefixed(this.q.quantile(0.5, "cache_tiered_load_seconds_bucket", success, "cache"), "p50 "));
        series.putAll(prefixed(this.q.quantile(0.99, "cache_tiered_load_seconds_bucket", success, "cache"), "p99 "));
        series.putAll(prefixed(Queries.divide(this.q.rate("cache_tiered_load_seconds_sum", success, "cache"),
                this.q.rate("cache_tiered_load_seconds_count", success, "cache")), "mean "));
        series.replaceAll((key, seconds) -> Arrays.stream(seconds).map((s) -> s * 1000).toArray());
        return chart("Load latency (cache_tiered_load_seconds)", "ms", series).rates();
    }

    private XYChart warmingProgress() {
        return chart("Warming progress (cache_warming_progress)", "planned keys handled",
                this.q.gauge("cache_warming_progress", this.cache, false, "cache")).percent();
    }

    private XYChart warmedKeys() {
        return chart("Warmed keys/s by result (cache_warming_keys_total)", "keys/s",
                this.q.rate("cache_warming_keys_total", this.cache, "result")).rates();
    }

    private XYChart refresh() {
        return chart("Refresh-ahead outcomes/s (cache_refresh_total)", "refreshes/s",
                this.q.rate("cache_refresh_total", this.cache, "result")).rates();
    }

    private XYChart stampede() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.putAll(prefixed(this.q.rate("cache_stampede_coalesced_total", this.cache, "cache"), "coalesced "));
        series.putAll(prefixed(this.q.rate("cache_stampede_leases_total", this.cache, "result"), "lease "));
        series.putAll(prefixed(this.q.rate("cache_stampede_stale_served_total", this.cache, "cache"), "stale served "));
        series.putAll(prefixed(this.q.rate("cache_stampede_wait_timeouts_total", this.cache, "cache"),
                "wait timeouts "));
        return chart("Stampede protection/s (cache_stampede_*)", "events/s", series).rates();
    }

    private XYChart sharedTier() {
        Map<String, double[]> series = prefixed(
                this.q.rate("cache_tiered_l2_errors_total", this.cache, "backend", "kind"), "errors/s ");
        Panel panel = chart("Shared tier (L2) availability and errors", "errors/s", series);
        for (String backend : new String[] { "redis", "memcached" }) {
            this.q.gauge("cache_tiered_" + backend + "_available", (labels) -> true, true)
                .values()
                .forEach((values) -> panel.rightAxis(backend + " available (1 = breaker closed)", values));
        }
        return panel.rates();
    }

    private static Map<String, double[]> prefixed(Map<String, double[]> series, String prefix) {
        Map<String, double[]> result = new LinkedHashMap<>();
        series.forEach((key, values) -> result.put((prefix + key).trim(), values));
        return result;
    }

    private Panel chart(String title, String yTitle, Map<String, double[]> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH / 3).height(PANEL_HEIGHT).title(title)
            .xAxisTitle("seconds").yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(new Color(0xFA, 0xFA, 0xFA));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 200));
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        double[] x = this.q.seconds();
        Panel panel = new Panel(chart, x);
        series.forEach(panel::add);
        if (chart.getSeriesMap().isEmpty()) {
            panel.add("no data for cache " + this.name, zeros(x.length));
        }
        return panel;
    }

    private static double[] zeros(int n) {
        return new double[n];
    }

    /** A chart being built: its series in the dashboard's colours, and the y axis as the panel's unit. */
    private static final class Panel {

        private final XYChart chart;

        private final double[] x;

        private double max;

        Panel(XYChart chart, double[] x) {
            this.chart = chart;
            this.x = x;
        }

        void add(String name, double[] y) {
            if (Arrays.stream(y).allMatch(Double::isNaN)) {
                return;
            }
            XYSeries series = this.chart.addSeries(name, this.x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLORS[(this.chart.getSeriesMap().size() - 1) % COLORS.length]);
            series.setLineWidth(2f);
            this.max = Math.max(this.max, Arrays.stream(y).filter((v) -> !Double.isNaN(v)).max().orElse(0));
        }

        void rightAxis(String name, double[] y) {
            XYSeries series = this.chart.addSeries(name, this.x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(new Color(0x33, 0x33, 0x33));
            series.setLineWidth(1.5f);
            series.setYAxisGroup(1);
            this.chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            this.chart.getStyler().setYAxisMin(1, 0.0);
            this.chart.getStyler().setYAxisMax(1, 1.05);
            this.chart.setYAxisGroupTitle(1, "available");
        }

        XYChart percent() {
            this.chart.getStyler().setYAxisMin(0.0);
            this.chart.getStyler().setYAxisMax(1.05);
            this.chart.getStyler().setYAxisDecimalPattern("0%");
            return this.chart;
        }

        XYChart rates() {
            this.chart.getStyler().setYAxisMin(0.0);
            this.chart.getStyler().setYAxisMax((this.max > 0) ? this.max * 1.45 : 1.0);
            return this.chart;
        }
    }
}
