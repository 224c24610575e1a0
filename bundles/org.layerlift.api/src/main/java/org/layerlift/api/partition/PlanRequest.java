package org.layerlift.api.partition;

import java.util.Objects;
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
        Objects.requireNonNull(profile, "profile");
        if (!Double.isFinite(bandwidthMbps) || bandwidthMbps <= 0) {
            throw new IllegalArgumentException("bandwidth must be a positive finite number of Mbps: " + bandwidthMbps);
        }
        unitsOnServer = Set.copyOf(unitsOnServer);
        for (int unit : unitsOnServer) {
            if (unit < 0 || unit >= profile.units().size()) {
                throw new IllegalArgumentException("unit on server " + unit + " is not a unit of model '"
                        + profile.model() + "' (it has " + profile.units().size() + ")");
            }
        }
    }
}
