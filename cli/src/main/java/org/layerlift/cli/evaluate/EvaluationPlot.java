package org.layerlift.cli.evaluate;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.layerlift.cli.CliException;
import org.layerlift.cli.offload.OffloadPlot;

/**
 * One model's real runs as a grid of {@link OffloadPlot} panels: a row per strategy, a column per bandwidth, each the
 * measured latency over time against the simulator's predicted curve for the same first plan.
 */
final class EvaluationPlot {

    static final int PANEL_WIDTH = 620;
    static final int PANEL_HEIGHT = 380;

    private EvaluationPlot() {
    }

    static void write(Path file, String model, List<Evaluation.Run> runs, List<Double> bandwidths,
            List<String> strategies) {
        int cols = bandwidths.size();
        int rows = strategies.size();
        int top = 34;
        BufferedImage image = new BufferedImage(cols * PANEL_WIDTH, top + rows * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(model + ": real runs (blue) against the simulator's prediction (red, dashed)", 12, 23);
            for (Evaluation.Run run : runs) {
                int col = bandwidths.indexOf(run.mbps());
                int row = strategies.indexOf(run.strategy());
                if (col < 0 || row < 0) {
                    continue;
                }
                Rectangle2D area = new Rectangle2D.Double(col * PANEL_WIDTH, top + row * PANEL_HEIGHT, PANEL_WIDTH,
                        PANEL_HEIGHT);
                if (run.report() == null) {
                    g.setColor(Color.DARK_GRAY);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                    g.drawString(String.format(Locale.ROOT, "%s at %.0f Mbit/s failed: %s", run.strategy(),
                            run.mbps(), run.error()), (int) area.getX() + 10, (int) area.getCenterY());
                    continue;
                }
                OffloadPlot.chart(run.report()).draw(g, area);
            }
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
}
