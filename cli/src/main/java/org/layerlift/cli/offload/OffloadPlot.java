package org.layerlift.cli.offload;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerlift.cli.CliException;

/**
 * An offload run as a PNG: each measured query's latency at its start (dots joined by a line), the simulator's
 * predicted curve (dashed step line), a thin vertical line where each partition got ready, a dashed one where the
 * upload was done, and a dotted horizontal one at the local-only latency.
 */
public final class OffloadPlot {

    private static final Color MEASURED = new Color(0x1f77b4);
    private static final Color PREDICTED = new Color(0xd62728);
    private static final Color READY = new Color(0x2ca02c);
    private static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 210);

    private OffloadPlot() {
    }

    public static void write(Path file, OffloadReport report, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart(report).draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new CliException("cannot write " + file + ": no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static JFreeChart chart(OffloadReport report) {
        OffloadReport.Summary s = report.summary();
        XYSeries measured = new XYSeries("measured", false, true);
        for (OffloadReport.QueryRow q : report.queries()) {
            measured.add(q.startMs() / 1000, q.latencyMs());
        }
        XYSeries predicted = new XYSeries("predicted (simulator)", false, true);
        for (OffloadReport.PredictedQuery q : report.predicted()) {
            predicted.add(q.startMs() / 1000, q.latencyMs());
        }
        if (!report.predicted().isEmpty()) {
            OffloadReport.PredictedQuery last = report.predicted().get(report.predicted().size() - 1);
            double end = Math.max((last.startMs() + last.latencyMs()) / 1000, measured.isEmpty() ? 0
                    : measured.getMaxX());
            predicted.add(end, last.latencyMs());
        }
        XYSeriesCollection measuredData = new XYSeriesCollection(measured);
        XYSeriesCollection predictedData = new XYSeriesCollection(predicted);
        NumberAxis time = new NumberAxis("time since the upload started (s)");
        time.setAutoRangeIncludesZero(true);
        NumberAxis latency = new NumberAxis("query latency (ms)");
        latency.setAutoRangeIncludesZero(true);
        latency.setUpperMargin(0.15);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(true, true);
        dots.setSeriesPaint(0, MEASURED);
        dots.setSeriesStroke(0, new BasicStroke(1.2f));
        dots.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        XYStepRenderer steps = new XYStepRenderer();
        steps.setDefaultShapesVisible(false);
        steps.setSeriesPaint(0, PREDICTED);
        steps.setSeriesStroke(0, dashed(1.4f, 6f, 4f));
        XYPlot plot = new XYPlot(measuredData, time, latency, dots);
        plot.setDataset(1, predictedData);
        plot.setRenderer(1, steps);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        for (OffloadReport.PartitionRow p : report.partitions()) {
            if (p.readyMs() == null) {
                continue;
            }
            ValueMarker m = new ValueMarker(p.readyMs() / 1000, READY, new BasicStroke(0.8f));
            m.setLabel("p" + p.index());
            m.setLabelFont(small);
            m.setLabelPaint(READY.darker());
            m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addDomainMarker(m);
        }
        if (s.uploadDoneMs() != null) {
            ValueMarker done = new ValueMarker(s.uploadDoneMs() / 1000, Color.DARK_GRAY, dashed(1f, 5f, 4f));
            done.setLabel("upload done " + String.format(Locale.ROOT, "%.2f s", s.uploadDoneMs() / 1000));
            done.setLabelFont(small);
            done.setLabelBackgroundColor(LABEL_BACKGROUND);
            done.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            done.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(done);
        }
        if (s.localLatencyMs() != null) {
            ValueMarker local = new ValueMarker(s.localLatencyMs(), Color.GRAY, dashed(1f, 2f, 3f));
            local.setLabel("local only " + String.format(Locale.ROOT, "%.0f ms", s.localLatencyMs()));
            local.setLabelFont(small);
            local.setLabelPaint(Color.DARK_GRAY);
            local.setLabelBackgroundColor(LABEL_BACKGROUND);
            local.setLabelAnchor(RectangleAnchor.TOP);
            local.setLabelTextAnchor(TextAnchor.BOTTOM_CENTER);
            plot.addRangeMarker(local);
        }
        String title = (s.model() == null ? "offload" : s.model()) + " at "
                + String.format(Locale.ROOT, "%.4g", s.bandwidthMbps()) + " Mbit/s"
                + (s.strategy() == null ? "" : ", " + s.strategy());
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        String note = "queries " + s.queriesMode() + (s.emulation() == null ? "" : "; " + s.emulation())
                + "; green lines: partitions ready";
        TextTitle subtitle = new TextTitle(note, small);
        subtitle.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(subtitle);
        return chart;
    }

    private static BasicStroke dashed(float width, float on, float off) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {on, off}, 0f);
    }
}
