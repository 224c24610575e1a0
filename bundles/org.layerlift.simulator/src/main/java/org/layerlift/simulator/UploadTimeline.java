package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

/**
 * When each partition, and so each unit, is usable on the server. Partitions are sent back to back at the link
 * rate; loading one overlaps sending the next, so partition j is ready at max(arrival_j, ready_{j-1}) + load_j.
 */
final class UploadTimeline implements Link {

    private final List<PartitionTiming> partitions;
    private final double[] unitReadyMs;

    private UploadTimeline(List<PartitionTiming> partitions, double[] unitReadyMs) {
        this.partitions = partitions;
        this.unitReadyMs = unitReadyMs;
    }

    static UploadTimeline of(CostProfile profile, UploadPlan plan, double bytesPerMs, SimulationOptions options) {
        List<UnitCost> units = profile.units();
        double[] unitReady = new double[units.size()];
        Arrays.fill(unitReady, Double.POSITIVE_INFINITY);
        for (int unit : options.unitsOnServer()) {
            checkUnit(profile, unit);
            unitReady[unit] = 0;
        }
        List<PartitionTiming> timings = new ArrayList<>();
        for (Partition partition : plan.partitions()) {
            for (int unit : partition.units()) {
                checkUnit(profile, unit);
            }
        }
        double[] loads = PartitionLoads.of(profile, plan, options);
        long bytesSent = 0;
        double ready = 0;
        for (int j = 0; j < plan.partitions().size(); j++) {
            Partition partition = plan.partitions().get(j);
            long bytes = 0;
            List<String> layers = new ArrayList<>();
            for (int unit : partition.units()) {
                UnitCost cost = units.get(unit);
                bytes += cost.weightBytes();
                layers.addAll(cost.layers());
            }
            bytesSent += bytes;
            ready = Math.max(bytesSent / bytesPerMs, ready) + loads[j];
            for (int unit : partition.units()) {
                unitReady[unit] = Math.min(unitReady[unit], ready);
            }
            timings.add(new PartitionTiming(partition.units(), layers, bytes, ready));
        }
        UploadTimeline timeline = new UploadTimeline(timings, unitReady);
        timeline.checkPlansUseOnlyUploadedUnits(profile, plan);
        return timeline;
    }

    private static void checkUnit(CostProfile profile, int unit) {
        if (unit < 0 || unit >= profile.units().size()) {
            throw new IllegalArgumentException("model '" + profile.model() + "' has no unit " + unit);
        }
    }

    /** A plan that runs a unit on the server before its weights are sent would wait forever. */
    private void checkPlansUseOnlyUploadedUnits(CostProfile profile, UploadPlan plan) {
        for (int j = 0; j < partitions.size(); j++) {
            for (Segment segment : plan.partitions().get(j).serverSegments()) {
                for (int unit = segment.first(); unit <= segment.last(); unit++) {
                    checkUnit(profile, unit);
                    if (unitReadyMs[unit] > partitions.get(j).readyMs()) {
                        throw new IllegalArgumentException("strategy '" + plan.strategy() + "': the plan of partition "
                                + (j + 1) + " runs unit " + unit + " ('" + profile.units().get(unit).name()
                                + "') on the server before it is uploaded");
                    }
                }
            }
        }
    }

    List<PartitionTiming> partitions() {
        return partitions;
    }

    @Override
    public double unitReadyMs(int unit) {
        return unitReadyMs[unit];
    }

    /** The upload has a link of its own: activations do not slow it. */
    @Override
    public void activation(double startMs, double endMs) {
    }

    double doneMs() {
        return partitions.isEmpty() ? 0 : partitions.get(partitions.size() - 1).readyMs();
    }

    /** Index of the newest partition ready at the given time, or -1. */
    int newestReadyAt(double timeMs) {
        int newest = -1;
        for (int j = 0; j < partitions.size() && partitions.get(j).readyMs() <= timeMs; j++) {
            newest = j;
        }
        return newest;
    }
}
