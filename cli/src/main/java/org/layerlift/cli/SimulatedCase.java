package org.layerlift.cli;

import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.simulator.SimulationResult;

/**
 * The strategies compared on one profile at one bandwidth, and the lower bound next to them.
 *
 * @param label          how outputs name the profile: its model name (plus the file name when two share one)
 * @param profile        the profile
 * @param bandwidthMbps  link rate
 * @param results        one per strategy, in the order selected
 * @param bound          the {@link org.layerlift.simulator.Bound lower bound} over the same window (strategy
 *                       {@value org.layerlift.simulator.Bound#NAME}); its partitions are the plans on its
 *                       bytes/latency frontier, not an upload order
 */
record SimulatedCase(String label, CostProfile profile, double bandwidthMbps, List<SimulationResult> results,
        SimulationResult bound) {

    SimulatedCase {
        results = List.copyOf(results);
        if (bound == null) {
            throw new IllegalArgumentException("a case needs its bound");
        }
    }

    /**
     * The common window the results share, in ms: the latest upload end among them (or among the strategies of
     * {@code --window-of}; a strategy whose own upload ends later is measured up to its end instead).
     */
    double windowMs() {
        return results.stream().mapToDouble(SimulationResult::commonWindowMs).min().orElse(0);
    }

    /** The strategies' results, then the bound's. */
    List<SimulationResult> withBound() {
        List<SimulationResult> all = new java.util.ArrayList<>(results);
        all.add(bound);
        return all;
    }
}
