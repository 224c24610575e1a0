package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;

/** What each chart holds: a line per strategy, the bound as a dashed grey line, and the cut-off for outliers. */
class LatencyPlotTest {

    private static SimulatedCase simulate(String profileFile, double mbps, String... names) {
        CostProfile profile = ProfileLoader.load(Path.of(profileFile));
        List<UploadPlan> plans = new ArrayList<>();
        for (PartitionStrategy s : StrategyRegistry.load().select(List.of(names))) {
            plans.add(s.plan(new PlanRequest(profile, mbps, java.util.Set.of())));
        }
        List<SimulationResult> results = new ArrayList<>(
                Simulator.compareWithBound(profile, plans, mbps, SimulationOptions.reference()));
        SimulationResult bound = results.remove(results.size() - 1);
        return new SimulatedCase(profile.model(), profile, mbps, results, bound);
    }

    @Test
    void theBoundIsTheLastLineDashedAndGrey() {
        JFreeChart chart = LatencyPlot.chart(simulate(Cli.GOOGLENET, 40, "ionn", "frontier"));
        XYPlot plot = chart.getXYPlot();
        XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
        assertEquals(List.of("ionn", "frontier", "bound"),
                List.of(data.getSeriesKey(0), data.getSeriesKey(1), data.getSeriesKey(2)));
        BasicStroke bound = (BasicStroke) plot.getRenderer().getSeriesStroke(2);
        assertNotNull(bound.getDashArray(), "dashed");
        BasicStroke ionn = (BasicStroke) plot.getRenderer().getSeriesStroke(0);
        assertEquals(null, ionn.getDashArray(), "strategies are solid");
        Color grey = (Color) plot.getRenderer().getSeriesPaint(2);
        assertTrue(grey.getRed() == grey.getGreen() && grey.getGreen() == grey.getBlue(), grey.toString());
        // upload-done markers for the strategies only
        assertEquals(2, plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size());
        // the bound's line lies at or below the others at its start
        assertTrue(data.getSeries(2).getY(0).doubleValue() <= data.getSeries(1).getY(0).doubleValue());
    }

    @Test
    void latenciesFarAboveLocalAreCutOffAndNamed() {
        // efficiency's first AlexNet query at 10 Mbps waits 6.7 s for its first partition: local is 822 ms
        JFreeChart clipped = LatencyPlot.chart(simulate(Cli.ALEXNET, 10, "ionn", "efficiency"));
        double upper = clipped.getXYPlot().getRangeAxis().getUpperBound();
        assertTrue(upper < 3000 && upper > 2465, "range " + upper);
        String note = clipped.getSubtitles().stream().filter(TextTitle.class::isInstance)
                .map(t -> ((TextTitle) t).getText()).findFirst().orElse("");
        assertEquals("off the chart (above 2465 ms = 3x local): efficiency up to 6721 ms", note);

        JFreeChart full = LatencyPlot.chart(simulate(Cli.ALEXNET, 40, "ionn", "efficiency"));
        assertFalse(full.getSubtitles().stream().anyMatch(TextTitle.class::isInstance), "nothing to cut off");
        assertTrue(full.getXYPlot().getRangeAxis().getUpperBound() < 1000);
    }
}
