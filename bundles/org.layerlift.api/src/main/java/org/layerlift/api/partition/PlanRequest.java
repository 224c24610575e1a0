package org.layerlift.api.partition;

import java.util.Set;
import org.layerlift.api.model.CostProfile;

/**
 * What a strategy plans from.
 *
 * @param profile        the model's units with their costs
 * @param bandwidthMbps  estimated link rate, 1 Mbps = 125,000 bytes/s
 * @param unitsOnServer  indices of units whose weights are already on the server (they cost nothing to upload)
 */
public record PlanRequest(CostProfile profile, double bandwidthMbps, Set<Integer> unitsOnServer) {

    public PlanRequest {
        unitsOnServer = Set.copyOf(unitsOnServer);
    }
}
