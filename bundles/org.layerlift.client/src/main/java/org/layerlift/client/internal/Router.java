package org.layerlift.client.internal;

import java.util.BitSet;
import java.util.List;
import org.layerlift.protocol.Messages;

/**
 * The per-query choice (pure): run locally, or with the server segments of one partition of the plan — a ready one,
 * or, when the plan routes early queries by their estimates, one still arriving whose estimate makes waiting for it
 * pay. Latencies are the plan's cost model (the simulator's): client time of the units before and between server
 * segments, each segment's input activation up, its server time, its output activation down. Local is the default
 * whenever nothing beats it, so a query is never routed slower than running locally by the model's own estimate.
 */
final class Router {

    /** A decision: partition -1 is local. */
    record Route(int partition, double predictedMs, double waitMs) {
        boolean local() {
            return partition < 0;
        }
    }

    private final List<Messages.PlanPartition> partitions;
    private final double[] clientMs;
    private final double[] serverMs;
    private final long[] inputBytes;
    private final long[] outputBytes;
    private final double clientOnlyMs;
    private final boolean routeByEta;

    Router(Messages.Plan plan, double[] clientMs, double clientOnlyMs) {
        this.partitions = plan.partitions();
        int n = plan.units().size();
        this.clientMs = clientMs.clone();
        this.serverMs = new double[n];
        this.inputBytes = new long[n];
        this.outputBytes = new long[n];
        for (Messages.PlanUnit u : plan.units()) {
            serverMs[u.index()] = u.serverMs();
            inputBytes[u.index()] = u.inputBytes();
            outputBytes[u.index()] = u.outputBytes();
        }
        this.clientOnlyMs = clientOnlyMs;
        this.routeByEta = "ROUTE_BY_ETA".equals(plan.earlyQueries());
    }

    double localMs() {
        double t = clientOnlyMs;
        for (double c : clientMs) {
            t += c;
        }
        return t;
    }

    /** A query's latency with these segments once they are loaded, at {@code bytesPerMs} on the link. */
    double latencyMs(List<Messages.SegmentRef> segments, double bytesPerMs) {
        double t = clientOnlyMs;
        int next = 0;
        for (Messages.SegmentRef s : segments) {
            for (; next < s.first(); next++) {
                t += clientMs[next];
            }
            t += inputBytes[s.first()] / bytesPerMs;
            for (; next <= s.last(); next++) {
                t += serverMs[next];
            }
            t += outputBytes[s.last()] / bytesPerMs;
        }
        for (; next < clientMs.length; next++) {
            t += clientMs[next];
        }
        return t;
    }

    /** The model's time of one server hop: input up, server run, output down. */
    double hopMs(Messages.SegmentRef s, double bytesPerMs) {
        double t = inputBytes[s.first()] / bytesPerMs + outputBytes[s.last()] / bytesPerMs;
        for (int u = s.first(); u <= s.last(); u++) {
            t += serverMs[u];
        }
        return t;
    }

    /** The latest moment (ms after a query's start) at which its hops may begin and still beat running locally. */
    double latestHopStartMs(List<Messages.SegmentRef> segments, double bytesPerMs, double excessMs) {
        return localMs() - (latencyMs(segments, bytesPerMs) + Math.max(0, excessMs) - prefixMs(segments));
    }

    /** Client time before the first server segment (when the query reaches the gateway). */
    double prefixMs(List<Messages.SegmentRef> segments) {
        double t = clientOnlyMs;
        int end = segments.isEmpty() ? clientMs.length : segments.get(0).first();
        for (int u = 0; u < end; u++) {
            t += clientMs[u];
        }
        return t;
    }

    /**
     * Chooses the route of a query starting now.
     *
     * @param ready      the partitions ready now
     * @param etaMs      per partition, the estimated ms from now until it is ready (ignored for ready ones;
     *                   infinite when unknown)
     * @param bytesPerMs the link's rate now
     * @param connected  whether the gateway can be reached at all (if not: local)
     */
    Route choose(BitSet ready, double[] etaMs, double bytesPerMs, boolean connected) {
        return choose(ready, etaMs, new double[partitions.size()], bytesPerMs, connected);
    }

    /**
     * The same, with what the hops of each partition's route took lately beyond the model ({@code excessMs}: a busy
     * gateway, a segment still warming up), so that a route that turns out slower than running locally is left
     * until its excess has faded.
     */
    Route choose(BitSet ready, double[] etaMs, double[] excessMs, double bytesPerMs, boolean connected) {
        double local = localMs();
        Route best = new Route(-1, local, 0);
        if (!connected) {
            return best;
        }
        for (int j = 0; j < partitions.size(); j++) {
            List<Messages.SegmentRef> segments = partitions.get(j).segments();
            if (segments.isEmpty()) {
                continue;
            }
            double latency = latencyMs(segments, bytesPerMs) + Math.max(0, excessMs[j]);
            double predicted;
            double wait = 0;
            if (ready.get(j)) {
                predicted = latency;
            } else if (routeByEta && Double.isFinite(etaMs[j])) {
                double prefix = prefixMs(segments);
                wait = Math.max(0, etaMs[j] - prefix);
                predicted = latency + wait;
            } else {
                continue;
            }
            if (predicted < best.predictedMs()) {
                best = new Route(j, predicted, wait);
            }
        }
        return best;
    }
}
