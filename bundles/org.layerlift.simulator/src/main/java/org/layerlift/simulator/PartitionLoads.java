package org.layerlift.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

/**
 * How long the server takes to make each partition usable once its bytes are there. The papers' model: the load
 * time of the partition's own units. With {@link SimulationOptions#segmentLoads()}, what a gateway that runs each
 * server segment as one compiled session does: it builds every segment of the partition's plan that no earlier
 * partition's plan had, each from all of its units' weights, and runs it once (its warm-up run before the partition
 * is announced), so a plan whose segment grows by one unit per partition loads the whole prefix again each time.
 */
final class PartitionLoads {

    private PartitionLoads() {
    }

    static double[] of(CostProfile profile, UploadPlan plan, SimulationOptions options) {
        List<Partition> partitions = plan.partitions();
        double[] load = new double[partitions.size()];
        if (!options.includeLoadTime()) {
            return load;
        }
        List<UnitCost> units = profile.units();
        Set<Segment> built = new HashSet<>();
        for (int j = 0; j < partitions.size(); j++) {
            Partition p = partitions.get(j);
            if (!options.segmentLoads()) {
                for (int unit : p.units()) {
                    load[j] += units.get(unit).loadMs();
                }
                continue;
            }
            for (Segment s : p.serverSegments()) {
                if (built.add(s)) {
                    load[j] += options.segmentBuildMs();
                    for (int unit = s.first(); unit <= s.last(); unit++) {
                        load[j] += units.get(unit).loadMs() + units.get(unit).serverMs();
                    }
                }
            }
        }
        return load;
    }
}
