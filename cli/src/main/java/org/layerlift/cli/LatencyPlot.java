package org.layerlift.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerlift.simulator.QueryRecord;
import org.layerlift.simulator.SimulationResult;

/**
 * Query latency over time as a PNG: per case (profile x bandwidth) a chart with one step line per strategy (a
 * query's latency holds from its start until the next query starts), the lower bound as a dashed grey step line, a
 * dashed vertical line where each strategy's upload is done and a dotted grey one at the local-only latency.
 * Latencies above {@value #CLIP_OVER_LOCAL} x local are cut off and named in a note. Several cases are laid out in a grid, a row per profile
 * and a column per bandwidth, in the order given.
 */
final class LatencyPlot {

    private static final Paint[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 210);

    /** The lower bound: a dashed grey line, the last series. */
    private static final Color BOUND_COLOR = new Color(0x555555);

    /** Latencies above this multiple of local-only are cut off (and named in a note under the title). */
    static final double CLIP_OVER_LOCAL = 3;

    private LatencyPlot() {
    }

    /**
     * @param columns         charts per row (the number of bandwidths)
     * @param width, height   pixel size of each chart
     */
    static void write(Path file, List<SimulatedCase> cases, int columns, int width, int height) {
        BufferedImage image = draw(cases, columns, width, height);
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new CliException("cannot write " + file + ": no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static BufferedImage draw(List<SimulatedCase> cases, int columns, int width, int height) {
        int cols = Math.min(columns, cases.size());
        int rows = (cases.size() + cols - 1) / cols;
        BufferedImage image = new BufferedImage(cols * width, rows * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setPaint(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < cases.size(); i++) {
                Rectangle2D area = new Rectangle2D.Double((i % cols) * width, (i / cols) * height, width, height);
                chart(cases.get(i)).draw(g, area);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    static JFreeChart chart(SimulatedCase c) {
        XYSeriesCollection data = new XYSeriesCollection();
        double windowS = c.windowMs() / 1000;
        List<SimulationResult> lines = c.withBound();
        double localMs = c.bound().localLatencyMs();
        double clipMs = CLIP_OVER_LOCAL * localMs;
        List<String> offChart = new ArrayList<>();
        for (SimulationResult r : lines) {
            XYSeries series = new XYSeries(r.strategy(), false, true);
            List<QueryRecord> queries = r.queries();
            double highest = 0;
            for (QueryRecord q : queries) {
                series.add(q.startMs() / 1000, q.latencyMs(), false);
                highest = Math.max(highest, q.latencyMs());
            }
            QueryRecord last = queries.get(queries.size() - 1);
            // hold the last latency to the end of the window (or of that query, when the window is empty)
            double endS = windowS > last.startMs() / 1000 ? windowS : (last.startMs() + last.latencyMs()) / 1000;
            series.add(endS, last.latencyMs(), false);
            data.addSeries(series);
            if (highest > clipMs) {
                offChart.add(r.strategy() + " up to " + ResultTable.fixed(highest, 0) + " ms");
            }
        }
        NumberAxis time = new NumberAxis("time since the upload started (s)");
        time.setAutoRangeIncludesZero(true);
        NumberAxis latency = new NumberAxis("query latency (ms)");
        latency.setAutoRangeIncludesZero(true);
        latency.setUpperMargin(0.12);
        if (!offChart.isEmpty()) {
            // a strategy whose queries wait for the whole model would flatten every other line
            latency.setRange(0, clipMs * 1.12);
        }
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setDefaultShapesVisible(false);
        XYPlot plot = new XYPlot(data, time, latency, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        int boundIndex = lines.size() - 1;
        renderer.setSeriesPaint(boundIndex, BOUND_COLOR);
        renderer.setSeriesStroke(boundIndex, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        for (int s = 0; s < c.results().size(); s++) {
            Paint paint = COLORS[s % COLORS.length];
            renderer.setSeriesPaint(s, paint);
            renderer.setSeriesStroke(s, new BasicStroke(1.6f));
            SimulationResult r = c.results().get(s);
            ValueMarker done = new ValueMarker(r.uploadDoneMs() / 1000, paint, new BasicStroke(1f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            done.setLabel(r.strategy() + " done " + ResultTable.fixed(r.uploadDoneMs() / 1000, 2) + " s");
            done.setLabelFont(small);
            done.setLabelPaint(paint);
            done.setLabelBackgroundColor(LABEL_BACKGROUND);
            // stack the labels so markers at nearly the same time stay readable
            done.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            done.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            done.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(4 + 12 * s, 4, 4, 4));
            plot.addDomainMarker(done);
        }
        ValueMarker local = new ValueMarker(localMs, Color.GRAY, new BasicStroke(1f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        local.setLabel("local only " + ResultTable.fixed(localMs, 0) + " ms");
        local.setLabelFont(small);
        local.setLabelPaint(Color.DARK_GRAY);
        local.setLabelBackgroundColor(LABEL_BACKGROUND);
        local.setLabelAnchor(RectangleAnchor.TOP);
        local.setLabelTextAnchor(TextAnchor.BOTTOM_CENTER);
        plot.addRangeMarker(local);
        JFreeChart chart = new JFreeChart(c.label() + " at " + ResultTable.mbps(c.bandwidthMbps()) + " Mbps",
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        if (!offChart.isEmpty()) {
            TextTitle note = new TextTitle("off the chart (above " + ResultTable.fixed(clipMs, 0) + " ms = "
                    + ResultTable.fixed(CLIP_OVER_LOCAL, 0) + "x local): " + String.join(", ", offChart), small);
            note.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(note);
        }
        return chart;
    }
}
