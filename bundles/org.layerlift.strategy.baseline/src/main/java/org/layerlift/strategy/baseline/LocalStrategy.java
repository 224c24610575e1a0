package org.layerlift.strategy.baseline;

import java.util.List;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;

/** Uploads nothing: every query runs entirely on the client. The lower bound on offloading, and a safe default. */
public final class LocalStrategy implements PartitionStrategy {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        return new UploadPlan(NAME, List.of(), EarlyQueryPolicy.LOCAL);
    }
}
