package org.layerlift.strategy.baseline;

import java.util.List;
import java.util.SortedSet;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.Segments;

/**
 * The optimal split uploaded in one go: one partition with only the units the fastest steady-state plan runs on the
 * server (those already there excepted). Queries run on the client until it is ready. When running everything on the
 * client is fastest, the plan has no partition, as {@code local}.
 */
public final class OneShotStrategy implements PartitionStrategy {

    public static final String NAME = "one-shot";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        List<Segment> best = SteadyState.bestServerSegments(request);
        if (best.isEmpty()) {
            return new UploadPlan(NAME, List.of(), EarlyQueryPolicy.LOCAL);
        }
        SortedSet<Integer> units = Segments.units(best);
        units.removeAll(request.unitsOnServer());
        return new UploadPlan(NAME, List.of(new Partition(List.copyOf(units), best)), EarlyQueryPolicy.LOCAL);
    }
}
