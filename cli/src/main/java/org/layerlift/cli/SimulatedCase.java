package org.layerlift.cli;

import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.simulator.SimulationResult;

/**
 * The strategies compared on one profile at one bandwidth.
 *
 * @param label          how outputs name the profile: its model name (plus the file name when two share one)
 * @param profile        the profile
 * @param bandwidthMbps  link rate
 * @param results        one per strategy, in the order selected
 */
record SimulatedCase(String label, CostProfile profile, double bandwidthMbps, List<SimulationResult> results) {

    SimulatedCase {
        results = List.copyOf(results);
    }

    /** The common window the results share (the latest upload end among them), in ms. */
    double windowMs() {
        return results.isEmpty() ? 0 : results.get(0).commonWindowMs();
    }
}
