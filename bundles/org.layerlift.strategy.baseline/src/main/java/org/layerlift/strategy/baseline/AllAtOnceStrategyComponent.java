package org.layerlift.strategy.baseline;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/** Registers {@link AllAtOnceStrategy} as the {@value AllAtOnceStrategy#NAME} strategy. */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + AllAtOnceStrategy.NAME)
public final class AllAtOnceStrategyComponent implements PartitionStrategy {

    private final AllAtOnceStrategy strategy = new AllAtOnceStrategy();

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
