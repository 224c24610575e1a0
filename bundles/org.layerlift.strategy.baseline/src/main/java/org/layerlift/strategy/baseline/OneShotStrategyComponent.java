package org.layerlift.strategy.baseline;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/** Registers {@link OneShotStrategy} as the {@value OneShotStrategy#NAME} strategy. */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + OneShotStrategy.NAME)
public final class OneShotStrategyComponent implements PartitionStrategy {

    private final OneShotStrategy strategy = new OneShotStrategy();

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
