package org.layerlift.strategy.efficiency;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.Segments;
import org.layerlift.planning.UnitChain;

/**
 * The seed paper's efficiency-based plan: upload the ranges of the steady-state plan in order of benefit per upload
 * time. As the authors' 2019 driver does, a query raised before partition 1 is ready is sent with plan 1 and waits.
 */
public final class EfficiencyStrategy implements PartitionStrategy {

    public static final String NAME = "efficiency";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        UnitChain chain = UnitChain.of(request.profile(), request.bandwidthMbps(), request.unitsOnServer());
        List<Partition> partitions = new ArrayList<>();
        SortedSet<Integer> offloaded = new TreeSet<>();
        for (Segment commit : new EfficiencyPlanner(chain).commits()) {
            List<Integer> added = new ArrayList<>();
            for (int unit = commit.first(); unit <= commit.last(); unit++) {
                offloaded.add(unit);
                if (!request.unitsOnServer().contains(unit)) {
                    added.add(unit);
                }
            }
            partitions.add(new Partition(added, Segments.of(offloaded)));
        }
        return new UploadPlan(NAME, partitions, EarlyQueryPolicy.WAIT_FOR_FIRST);
    }
}
