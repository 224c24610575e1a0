package org.layerlift.simulator;

import java.util.Set;

/**
 * How the simulated world behaves. {@link #reference()} gives the conventions of {@code REFERENCE.md}.
 *
 * @param includeLoadTime          whether a partition becomes usable only after the server has loaded it
 * @param unitsOnServer            units whose weights are on the server from the start
 * @param queryIntervalMs          0 for back-to-back queries; otherwise query k is raised at k times this interval
 *                                 and starts when it is raised or when the previous one finishes, whichever is later
 * @param shareLinkWithActivations false (the reference): the weight upload has a link of its own and activations
 *                                 travel for free beside it; true: one link carries both, activations first — the
 *                                 upload pauses while a query's input or output activation is in flight, and
 *                                 resumes where it stopped
 */
public record SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs,
        boolean shareLinkWithActivations) {

    public SimulationOptions {
        unitsOnServer = Set.copyOf(unitsOnServer);
        if (!(queryIntervalMs >= 0) || Double.isInfinite(queryIntervalMs)) {
            throw new IllegalArgumentException("query interval must be finite and non-negative: " + queryIntervalMs);
        }
    }

    /** A separate link for the upload, as the reference has it. */
    public SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs) {
        this(includeLoadTime, unitsOnServer, queryIntervalMs, false);
    }

    public static SimulationOptions reference() {
        return new SimulationOptions(true, Set.of(), 0, false);
    }

    public SimulationOptions withLoadTime(boolean include) {
        return new SimulationOptions(include, unitsOnServer, queryIntervalMs, shareLinkWithActivations);
    }

    public SimulationOptions withUnitsOnServer(Set<Integer> units) {
        return new SimulationOptions(includeLoadTime, units, queryIntervalMs, shareLinkWithActivations);
    }

    public SimulationOptions withQueryIntervalMs(double intervalMs) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, intervalMs, shareLinkWithActivations);
    }

    public SimulationOptions withSharedLink(boolean shared) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shared);
    }
}
