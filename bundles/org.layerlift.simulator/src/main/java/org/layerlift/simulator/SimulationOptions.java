package org.layerlift.simulator;

import java.util.List;
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
 * @param clientRouting            false (the papers' rule): a query uses the newest ready partition, and before the
 *                                 first one the plan's early-query policy decides; true (what the LayerLift client
 *                                 does, its {@code Router}): each query takes the fastest of running locally and the
 *                                 route of every ready partition, and under {@code ROUTE_BY_ETA} also of a partition
 *                                 still arriving when waiting for it pays — so no query is slower than local by the
 *                                 model, whatever the early-query policy says
 * @param hopOverheadMs            what every server hop costs beyond its activations' link time and its server time
 *                                 (the messages through the broker and the gateway's handling); 0 in the reference
 * @param uploadWaitMs             with a shared link: what a hop's input waits, while the upload is still sending,
 *                                 behind the chunks already on the wire (a real upload is not pre-empted mid-chunk); 0
 *                                 in the reference
 * @param segmentLoads             false (the papers): a partition loads its own units; true (the LayerLift gateway,
 *                                 which compiles each server segment as one session): a partition builds each of its
 *                                 plan's segments that no earlier partition had, from all of that segment's units
 * @param segmentBuildMs           with {@code segmentLoads}: what building one segment costs beyond its units' load
 *                                 and warm-up times (creating the session, the graph's optimisation); 0 unless a
 *                                 gateway measured its own builds
 * @param clientUsableMs           with {@code clientRouting}: per partition, from when the client can take its route
 *                                 (the client parts of the route built on the device); a query starting earlier that
 *                                 takes it waits for that. Empty (the reference): at once
 */
public record SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs,
        boolean shareLinkWithActivations, boolean clientRouting, double hopOverheadMs, double uploadWaitMs,
        boolean segmentLoads, double segmentBuildMs, List<Double> clientUsableMs) {

    public SimulationOptions {
        unitsOnServer = Set.copyOf(unitsOnServer);
        clientUsableMs = List.copyOf(clientUsableMs);
        for (Double t : clientUsableMs) {
            if (!(t >= 0)) {
                throw new IllegalArgumentException("a route's usable time must be >= 0 (or infinite): " + t);
            }
        }
        if (!(queryIntervalMs >= 0) || Double.isInfinite(queryIntervalMs)) {
            throw new IllegalArgumentException("query interval must be finite and non-negative: " + queryIntervalMs);
        }
        if (!(hopOverheadMs >= 0) || Double.isInfinite(hopOverheadMs) || !(uploadWaitMs >= 0)
                || Double.isInfinite(uploadWaitMs)) {
            throw new IllegalArgumentException("hop overheads must be finite and non-negative: " + hopOverheadMs
                    + ", " + uploadWaitMs);
        }
        if (!(segmentBuildMs >= 0) || Double.isInfinite(segmentBuildMs)) {
            throw new IllegalArgumentException("a segment's build must cost a finite, non-negative time: "
                    + segmentBuildMs);
        }
    }

    public SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs,
            boolean shareLinkWithActivations, boolean clientRouting) {
        this(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations, clientRouting, 0, 0, false, 0,
                List.of());
    }

    /** A separate link for the upload, as the reference has it. */
    public SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs) {
        this(includeLoadTime, unitsOnServer, queryIntervalMs, false, false);
    }

    /** The papers' routing rule. */
    public SimulationOptions(boolean includeLoadTime, Set<Integer> unitsOnServer, double queryIntervalMs,
            boolean shareLinkWithActivations) {
        this(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations, false);
    }

    public static SimulationOptions reference() {
        return new SimulationOptions(true, Set.of(), 0, false, false);
    }

    public SimulationOptions withLoadTime(boolean include) {
        return new SimulationOptions(include, unitsOnServer, queryIntervalMs, shareLinkWithActivations, clientRouting,
                hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withUnitsOnServer(Set<Integer> units) {
        return new SimulationOptions(includeLoadTime, units, queryIntervalMs, shareLinkWithActivations, clientRouting,
                hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withQueryIntervalMs(double intervalMs) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, intervalMs, shareLinkWithActivations,
                clientRouting, hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withSharedLink(boolean shared) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shared, clientRouting,
                hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withClientRouting(boolean client) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations, client,
                hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withHopOverhead(double hopMs, double waitMs) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations,
                clientRouting, hopMs, waitMs, segmentLoads, segmentBuildMs, clientUsableMs);
    }

    public SimulationOptions withSegmentLoads(boolean segments) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations,
                clientRouting, hopOverheadMs, uploadWaitMs, segments, segmentBuildMs, clientUsableMs);
    }

    /** Per partition, from when the client can take its route (only with {@link #clientRouting()}). */
    public SimulationOptions withClientUsableMs(List<Double> usableMs) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations,
                clientRouting, hopOverheadMs, uploadWaitMs, segmentLoads, segmentBuildMs, usableMs);
    }

    /** What each segment build costs beyond its units' figures (only with {@link #segmentLoads()}). */
    public SimulationOptions withSegmentBuildMs(double ms) {
        return new SimulationOptions(includeLoadTime, unitsOnServer, queryIntervalMs, shareLinkWithActivations,
                clientRouting, hopOverheadMs, uploadWaitMs, segmentLoads, ms, clientUsableMs);
    }
}
