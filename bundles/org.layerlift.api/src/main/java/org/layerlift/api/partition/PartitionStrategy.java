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

    UploadPlan plan(PlanRequest request);
}
