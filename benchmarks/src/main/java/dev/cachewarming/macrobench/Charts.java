package dev.cachewarming.macrobench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts of the benchmark results (XChart), written beside the Markdown results. */
final class Charts {

    private static final Color[] COLORS = { new Color(0xD6, 0x27, 0x28), new Color(0xFF, 0x7F, 0x0E),
            new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0x7F, 0x7F, 0x7F) };

    private Charts() {
    }

    /** One line of a chart. */
    record Line(String name, double[] x, double[] y, boolean dashed) {
    }

    /**
     * Writes a line chart to {@code <bench.out>/<file>.png}.
     * @param file the file name without extension
     * @param title the chart title
     * @param xTitle the x axis title
     * @param yTitle the y axis title
     * @param lines the lines
     * @param logY whether the y axis is logarithmic
     */
    static void lines(String file, String title, String xTitle, String yTitle, List<Line> lines, boolean logY) {
        lines(file, title, xTitle, yTitle, lines, logY, Styler.LegendPosition.InsideNE);
    }

    /**
     * {@link #lines(String, String, String, String, List, boolean)} with the legend where it hides no line.
     * @param legend where the legend goes
     */
    static void lines(String file, String title, String xTitle, String yTitle, List<Line> lines, boolean logY,
            Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(900).height(450).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        int i = 0;
        for (Line line : lines) {
            XYSeries series = chart.addSeries(line.name(), line.x(), line.y());
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLORS[i++ % COLORS.length]);
            if (line.dashed()) {
                series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                        new float[] { 6, 4 }, 0));
            }
        }
        try {
            BitmapEncoder.saveBitmap(chart, Report.outputDirectory().resolve(file).toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        System.out.println("Wrote " + Report.outputDirectory().resolve(file + ".png").toAbsolutePath());
    }
}
