package org.layerlift.strategy.efficiency;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/** Registers the efficiency-based plan as the {@value EfficiencyStrategy#NAME} strategy. */
@Component(service = PartitionStrategy.class,
        property = PartitionStrategy.NAME + "=" + EfficiencyStrategy.NAME)
public final class EfficiencyStrategyComponent implements PartitionStrategy {

    private final EfficiencyStrategy strategy = new EfficiencyStrategy();

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
