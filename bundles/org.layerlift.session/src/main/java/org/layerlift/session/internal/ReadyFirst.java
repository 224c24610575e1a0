package org.layerlift.session.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.Segments;
import org.layerlift.planning.UnitChain;
import org.layerlift.simulator.Simulator;

/**
 * A plan made with held units must not leave a session with nothing ready. A strategy plans the held units as free,
 * so each of its partitions may still need a unit that is not sent yet: until the first one arrives, every query
 * would run locally, although the server could already run part of it. This puts in front of the strategy's plan
 * the best routes that need nothing more, as partitions that upload nothing:
 *
 * <ol>
 *   <li>the fastest route of the previous plan that was ready (its segments are built: ready at once), and</li>
 *   <li>the fastest route over all the held units ({@link ExecutionGraph#fastestRouteOver}), when it is faster still
 *       (its segments may still have to be built),</li>
 * </ol>
 *
 * each only when it beats running locally and every partition of the plan that is ready with the held units alone.
 * Latencies are the simulator's for a loaded route ({@link Simulator#loadedLatencyMs}), as the plan message gives them.
 */
final class ReadyFirst {

    private ReadyFirst() {}

    /**
     * @param readyRoutes the server segments of the previous plan's ready partitions (empty on a first plan)
     */
    static UploadPlan apply(UploadPlan plan, CostProfile profile, double bandwidthMbps, Set<Integer> held,
            List<List<Segment>> readyRoutes) {
        if (held.isEmpty()) {
            return plan;
        }
        int n = profile.units().size();
        double bar = Simulator.loadedLatencyMs(profile, List.of(), bandwidthMbps);
        for (Partition p : plan.partitions()) {
            if (held.containsAll(p.units()) && held.containsAll(Segments.units(p.serverSegments()))) {
                bar = Math.min(bar, latency(profile, p.serverSegments(), bandwidthMbps));
            }
        }
        List<Partition> front = new ArrayList<>();
        List<Segment> kept = null;
        double keptMs = Double.POSITIVE_INFINITY;
        for (List<Segment> route : readyRoutes) {
            if (route.isEmpty() || !held.containsAll(Segments.units(route)) || !fits(route, n)) {
                continue;
            }
            double ms = latency(profile, route, bandwidthMbps);
            if (ms < keptMs) {
                kept = route;
                keptMs = ms;
            }
        }
        if (kept != null && keptMs < bar) {
            front.add(new Partition(List.of(), kept));
            bar = keptMs;
        }
        boolean[] mask = new boolean[n];
        for (int u : held) {
            mask[u] = true;
        }
        List<Segment> best = new ExecutionGraph(UnitChain.of(profile, bandwidthMbps, held)).fastestRouteOver(mask)
                .serverSegments();
        if (!best.isEmpty() && !best.equals(kept) && latency(profile, best, bandwidthMbps) < bar) {
            front.add(new Partition(List.of(), best));
        }
        if (front.isEmpty()) {
            return plan;
        }
        front.addAll(plan.partitions());
        return new UploadPlan(plan.strategy(), front, plan.earlyQueries());
    }

    private static boolean fits(List<Segment> route, int units) {
        try {
            Segments.mask(route, units);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static double latency(CostProfile profile, List<Segment> route, double bandwidthMbps) {
        return Simulator.loadedLatencyMs(profile, route, bandwidthMbps);
    }
}
