package org.layerlift.client.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Messages;
import org.layerlift.simulator.Simulator;

/**
 * The per-query choice (pure): run locally, or with the server segments of one partition of the plan — a ready one,
 * or, when the plan routes early queries by their estimates, one still arriving whose estimate makes waiting for it
 * pay. Latencies are the plan's cost model timed by the simulator ({@link Simulator#loadedLatencyMs}): client time of
 * the units before and between server segments, each segment's input activation up, its server time, its output
 * activation down. Local is the default
 * whenever nothing beats it, so a query is never routed slower than running locally by the model's own estimate.
 */
final class Router {

    /** A decision: partition -1 is local. */
    record Route(int partition, double predictedMs, double waitMs) {
        boolean local() {
            return partition < 0;
        }
    }

    /**
     * What a hop costs beyond its activations' link time and its server time: {@code fixedMs} for the messages
     * themselves (client, broker, gateway and back, as a small request's round trip measures it), and, while the
     * upload is still sending, {@code uploadWaitMs} for the input waiting behind the chunks already handed to the
     * connection (chunks are not pre-empted once on the wire).
     */
    record HopOverhead(double fixedMs, double uploadWaitMs) {
        static final HopOverhead NONE = new HopOverhead(0, 0);

        HopOverhead {
            if (!(fixedMs >= 0) || !(uploadWaitMs >= 0) || Double.isInfinite(fixedMs)
                    || Double.isInfinite(uploadWaitMs)) {
                throw new IllegalArgumentException("hop overhead must be finite and >= 0: " + fixedMs + ", "
                        + uploadWaitMs);
            }
        }

        double ms(boolean uploading) {
            return fixedMs + (uploading ? uploadWaitMs : 0);
        }
    }

    private final List<Messages.PlanPartition> partitions;
    private final CostProfile profile;
    private final boolean routeByEta;
    private final HopOverhead overhead;

    Router(Messages.Plan plan, double[] clientMs, double clientOnlyMs) {
        this(plan, clientMs, clientOnlyMs, HopOverhead.NONE);
    }

    Router(Messages.Plan plan, double[] clientMs, double clientOnlyMs, HopOverhead overhead) {
        this.partitions = plan.partitions();
        this.profile = costs(plan, clientMs, clientOnlyMs);
        this.routeByEta = "ROUTE_BY_ETA".equals(plan.earlyQueries());
        this.overhead = overhead;
    }

    HopOverhead overhead() {
        return overhead;
    }

    /**
     * The plan's cost model: the gateway's per-unit server, load and activation figures with these client times
     * (the ones the manifest declared). What the routing and the prediction both stand on.
     */
    static CostProfile costs(Messages.Plan plan, double[] clientMs, double clientOnlyMs) {
        List<UnitCost> units = new ArrayList<>();
        for (Messages.PlanUnit u : plan.units()) {
            units.add(new UnitCost(u.name(), clientMs[u.index()], u.serverMs(), u.bytes(), u.loadMs(), u.inputBytes(),
                    u.outputBytes(), List.of(u.name())));
        }
        return new CostProfile(plan.model(), units, clientOnlyMs);
    }

    double localMs() {
        double t = profile.clientOnlyMs();
        for (UnitCost u : profile.units()) {
            t += u.clientMs();
        }
        return t;
    }

    /** A query's latency with these segments once they are loaded, at {@code bytesPerMs} on the link. */
    double latencyMs(List<Messages.SegmentRef> segments, double bytesPerMs) {
        return latencyMs(segments, bytesPerMs, false);
    }

    /** The same with each hop's overhead, as while the upload is sending ({@code uploading}) or after it. */
    double latencyMs(List<Messages.SegmentRef> segments, double bytesPerMs, boolean uploading) {
        return Simulator.loadedLatencyMs(profile, segments.stream().map(s -> new Segment(s.first(), s.last()))
                .toList(), bytesPerMs * 8 / 1000) + segments.size() * overhead.ms(uploading);
    }

    /** The model's time of one server hop: input up, server run, output down, and the hop's overhead. */
    double hopMs(Messages.SegmentRef s, double bytesPerMs, boolean uploading) {
        return hopMs(s, bytesPerMs) + overhead.ms(uploading);
    }

    /** The model's time of one server hop: input up, server run, output down. */
    double hopMs(Messages.SegmentRef s, double bytesPerMs) {
        List<UnitCost> units = profile.units();
        double t = units.get(s.first()).inputBytes() / bytesPerMs + units.get(s.last()).outputBytes() / bytesPerMs;
        for (int u = s.first(); u <= s.last(); u++) {
            t += units.get(u).serverMs();
        }
        return t;
    }

    /** The latest moment (ms after a query's start) at which its hops may begin and still beat running locally. */
    double latestHopStartMs(List<Messages.SegmentRef> segments, double bytesPerMs, double excessMs) {
        return latestHopStartMs(segments, bytesPerMs, excessMs, false);
    }

    double latestHopStartMs(List<Messages.SegmentRef> segments, double bytesPerMs, double excessMs,
            boolean uploading) {
        return localMs() - (latencyMs(segments, bytesPerMs, uploading) + Math.max(0, excessMs)
                - prefixMs(segments));
    }

    /** Client time before the first server segment (when the query reaches the gateway). */
    double prefixMs(List<Messages.SegmentRef> segments) {
        List<UnitCost> units = profile.units();
        double t = profile.clientOnlyMs();
        int end = segments.isEmpty() ? units.size() : segments.get(0).first();
        for (int u = 0; u < end; u++) {
            t += units.get(u).clientMs();
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
        return choose(ready, etaMs, excessMs, bytesPerMs, connected, false);
    }

    /** The same, with the hops' overhead as while the upload is sending ({@code uploading}) or after it. */
    Route choose(BitSet ready, double[] etaMs, double[] excessMs, double bytesPerMs, boolean connected,
            boolean uploading) {
        return choose(ready, etaMs, excessMs, new double[partitions.size()], bytesPerMs, connected, uploading);
    }

    /**
     * The same, with what building each route's client parts would still take before the query can start
     * ({@code buildMs}, 0 when they are built; infinite: never take it). The query builds them first, so a
     * partition still arriving is waited for only beyond that.
     */
    Route choose(BitSet ready, double[] etaMs, double[] excessMs, double[] buildMs, double bytesPerMs,
            boolean connected, boolean uploading) {
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
            double build = buildMs[j];
            if (!(build >= 0) || Double.isInfinite(build)) {
                continue;
            }
            double latency = latencyMs(segments, bytesPerMs, uploading) + Math.max(0, excessMs[j]);
            double predicted;
            double wait = 0;
            if (ready.get(j)) {
                predicted = latency + build;
            } else if (routeByEta && Double.isFinite(etaMs[j])) {
                double prefix = prefixMs(segments);
                wait = Math.max(0, etaMs[j] - prefix - build);
                predicted = latency + build + wait;
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
