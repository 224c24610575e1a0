package org.layerlift.strategy.baseline;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/** Registers {@link LocalStrategy} as the {@value LocalStrategy#NAME} strategy. */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + LocalStrategy.NAME)
public final class LocalStrategyComponent implements PartitionStrategy {

    private final LocalStrategy strategy = new LocalStrategy();

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
