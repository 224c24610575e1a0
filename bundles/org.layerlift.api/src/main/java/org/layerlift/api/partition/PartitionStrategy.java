package org.layerlift.api.partition;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to plan an incremental upload. Registered as a service with the {@value #NAME} property; third parties
 * write their own.
 */
@ConsumerType
public interface PartitionStrategy {

    /** Service property naming the strategy, e.g. "ionn", "efficiency". */
    String NAME = "strategy.name";

    /**
     * Plans an upload. A request is already validated (finite non-negative costs, positive finite bandwidth);
     * a strategy that cannot plan it throws {@link IllegalArgumentException} with a message naming the cause.
     */
    UploadPlan plan(PlanRequest request);

    /**
     * The name this strategy is known by: its {@value #NAME} service property in OSGi and its key in the
     * command-line registry (java.util.ServiceLoader) outside.
     *
     * @since 1.1
     */
    default String name() {
        return getClass().getSimpleName();
    }
}
