package org.layerlift.simulator;

import java.util.Set;

/**
 * How the simulated world behaves. {@link #reference()} gives the conventions of {@code REFERENCE.md}.
 *
 * @param includeLoadTime   whether a partition becomes usable only after the server has loaded it
 * @param unitsOnServer     units whose weights are on the server from the start
 * @param queryIntervalMs   0 for back-to-back queries; otherwise query k is raised at k times this interval and
 *                          starts when it is raised or when the previous one finishes, whichever is later
 */
public record SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs) {

    public SimulationOptions {
        unitsOnServer = Set.copyOf(unitsOnServer);
        if (!(queryIntervalMs >= 0) || Double.isInfinite(queryIntervalMs)) {
            throw new IllegalArgumentException("query interval must be finite and non-negative: " + queryIntervalMs);
        }
    }

    public static SimulationOptions reference() {
        return new SimulationOptions(true, Set.of(), 0);
    }
}
