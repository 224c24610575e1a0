package org.layerlift.strategy.ionn;

import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Registers IONN as the {@value IonnStrategy#NAME} strategy; a configuration may change K. */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + IonnStrategy.NAME,
        configurationPid = "org.layerlift.strategy.ionn")
@Designate(ocd = IonnStrategyComponent.Config.class)
public final class IonnStrategyComponent implements PartitionStrategy {

    @ObjectClassDefinition(name = "LayerLift IONN strategy",
            description = "IONN's penalty-factor incremental upload plan")
    public @interface Config {

        @AttributeDefinition(name = "K", description = "Penalty decay per level, strictly between 0 and 1",
                min = "0", max = "1")
        double k() default IonnStrategy.DEFAULT_K;
    }

    private final IonnStrategy strategy;

    /** @throws IllegalArgumentException for K outside (0, 1): the component then stays inactive */
    @Activate
    public IonnStrategyComponent(Config config) {
        this.strategy = new IonnStrategy(config.k());
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        return strategy.plan(request);
    }

    @Override
    public String name() {
        return strategy.name();
    }
}
