package org.layerlift.strategy.frontier;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/** Registers the frontier plan as the {@value FrontierStrategy#NAME} strategy. */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + FrontierStrategy.NAME)
public final class FrontierStrategyComponent implements PartitionStrategy {

    private final FrontierStrategy strategy = new FrontierStrategy();

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
