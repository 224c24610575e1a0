package org.layerlift.strategy.baseline;

import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;

/**
 * The non-incremental upload: one partition with every unit (those already on the server excepted). Queries run on
 * the client until it is ready, then use the fastest plan with the whole model on the server.
 */
public final class AllAtOnceStrategy implements PartitionStrategy {

    public static final String NAME = "all-at-once";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        List<Integer> units = new ArrayList<>();
        for (int unit = 0; unit < request.profile().units().size(); unit++) {
            if (!request.unitsOnServer().contains(unit)) {
                units.add(unit);
            }
        }
        Partition everything = new Partition(units, SteadyState.bestServerSegments(request));
        return new UploadPlan(NAME, List.of(everything), EarlyQueryPolicy.LOCAL);
    }
}
