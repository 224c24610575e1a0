package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.Bandwidth;

/**
 * Simulates queries from t = 0 while an upload plan's partitions arrive, and measures them. Each query uses the
 * newest plan whose partition was ready when it started; before the first one, the plan's early-query policy decides.
 */
public final class Simulator {

    /** A guard against profiles whose queries take no time, which would never leave the window. */
    private static final int MAX_QUERIES = 5_000_000;

    private Simulator() {
    }

    /** Every weight loaded, the link a query's own: what {@link #loadedLatencyMs} times queries against. */
    private static final Link LOADED = new Link() {
        @Override
        public double unitReadyMs(int unit) {
            return 0;
        }

        @Override
        public void activation(double startMs, double endMs) {
            // nothing else on the link
        }
    };

    /**
     * A query's latency along these server segments once every weight is loaded and the link is the query's own:
     * the client time before, between and after the segments, each segment's input up and output down at the
     * link's rate, and its server time (the simulator's own timing, as the gateway's plans and the client's routing
     * quote it).
     */
    public static double loadedLatencyMs(CostProfile profile, List<Segment> serverSegments, double bandwidthMbps) {
        return new QueryTiming(profile, Bandwidth.bytesPerMs(bandwidthMbps), LOADED).latencyMs(serverSegments, 0);
    }

    /**
     * Per partition, how long the server takes to make it usable once its bytes are there (its loads, with
     * {@link SimulationOptions#segmentLoads()} its new segments' builds), as the simulation charges it; the server does
     * one partition after the other.
     */
    public static double[] partitionLoadsMs(CostProfile profile, UploadPlan plan, SimulationOptions options) {
        return PartitionLoads.of(profile, plan, options);
    }

    /** Reference conventions, measured over the plan's own upload. */
    public static SimulationResult simulate(CostProfile profile, UploadPlan plan, double bandwidthMbps) {
        return simulate(profile, plan, bandwidthMbps, SimulationOptions.reference(), 0);
    }

    /**
     * @param commonWindowMs the window the common-window metrics cover; the plan's own upload end if that is later
     */
    public static SimulationResult simulate(CostProfile profile, UploadPlan plan, double bandwidthMbps,
            SimulationOptions options, double commonWindowMs) {
        double bytesPerMs = Bandwidth.bytesPerMs(bandwidthMbps);
        UploadTimeline timeline = UploadTimeline.of(profile, plan, bytesPerMs, options);
        return run(profile, plan, bandwidthMbps, options, timeline, commonWindowMs, bytesPerMs);
    }

    /**
     * Simulates each plan over the same window: up to the latest upload end among them. With a shared link an upload
     * ends later the more activations it makes way for, so the plans are first run to their own ends, then together.
     */
    public static List<SimulationResult> compare(CostProfile profile, List<UploadPlan> plans, double bandwidthMbps,
            SimulationOptions options) {
        double bytesPerMs = Bandwidth.bytesPerMs(bandwidthMbps);
        List<UploadTimeline> timelines = new ArrayList<>();
        double window = 0;
        for (UploadPlan plan : plans) {
            UploadTimeline timeline = UploadTimeline.of(profile, plan, bytesPerMs, options);
            timelines.add(timeline);
            window = Math.max(window, timeline.doneMs());
        }
        if (options.shareLinkWithActivations()) {
            for (int i = 0; i < plans.size(); i++) {
                window = Math.max(window, run(profile, plans.get(i), bandwidthMbps, options, timelines.get(i), 0,
                        bytesPerMs).uploadDoneMs());
            }
        }
        List<SimulationResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            results.add(run(profile, plans.get(i), bandwidthMbps, options, timelines.get(i), window, bytesPerMs));
        }
        return results;
    }

    /**
     * {@link #compare} followed by the {@link Bound lower bound} over the same window: the last result is the
     * bound's, named {@value Bound#NAME}.
     */
    public static List<SimulationResult> compareWithBound(CostProfile profile, List<UploadPlan> plans,
            double bandwidthMbps, SimulationOptions options) {
        List<SimulationResult> results = new ArrayList<>(compare(profile, plans, bandwidthMbps, options));
        double window = results.isEmpty() ? 0 : results.get(0).commonWindowMs();
        results.add(Bound.simulate(profile, bandwidthMbps, options, window));
        return results;
    }

    private static SimulationResult run(CostProfile profile, UploadPlan plan, double bandwidthMbps,
            SimulationOptions options, UploadTimeline timeline, double window, double bytesPerMs) {
        SharedLink shared = options.shareLinkWithActivations()
                ? new SharedLink(profile, plan, bytesPerMs, options) : null;
        QueryTiming timing = new QueryTiming(profile, bytesPerMs, shared != null ? shared : timeline,
                options.hopOverheadMs(), options.uploadWaitMs());
        double localMs = timing.localMs();
        List<QueryRecord> queries = new ArrayList<>();
        double free = 0;
        // one query past the window, so the last one inside knows how long its latency holds
        while (queries.isEmpty() || queries.get(queries.size() - 1).startMs() < Math.max(window,
                shared != null ? shared.doneMs() : timeline.doneMs())) {
            if (queries.size() >= MAX_QUERIES) {
                throw new IllegalArgumentException("model '" + profile.model() + "': over " + MAX_QUERIES
                        + " queries before the upload ends; do its queries take any time?");
            }
            double start = Math.max(free, queries.size() * options.queryIntervalMs());
            int ready = shared != null ? shared.newestReadyAt(start) : timeline.newestReadyAt(start);
            QueryRecord query = query(plan, ready, timing, localMs, start, shared, options);
            queries.add(query);
            free = start + query.latencyMs();
        }
        if (shared == null) {
            return measure(profile, plan, bandwidthMbps, timeline.partitions(), timeline.doneMs(),
                    Math.max(window, timeline.doneMs()), localMs, queries);
        }
        double[] ready = shared.readyMs();
        List<PartitionTiming> partitions = new ArrayList<>();
        for (int j = 0; j < ready.length; j++) {
            PartitionTiming p = timeline.partitions().get(j);
            partitions.add(new PartitionTiming(p.units(), p.layers(), p.bytes(), ready[j]));
        }
        return measure(profile, plan, bandwidthMbps, partitions, shared.doneMs(), Math.max(window, shared.doneMs()),
                localMs, queries);
    }

    private static QueryRecord query(UploadPlan plan, int ready, QueryTiming timing, double localMs, double start,
            SharedLink shared, SimulationOptions options) {
        QueryRecord chosen = options.clientRouting() ? route(plan, ready, timing, localMs, start, shared,
                options.clientUsableMs())
                : choose(plan, ready, timing, localMs, start, shared);
        if (shared != null) {
            // replay the chosen route so that only its activations stay on the link
            shared.rollback();
            if (chosen.plan() >= 0) {
                timing.latencyMs(plan.partitions().get(chosen.plan()).serverSegments(), start);
            }
            shared.commit();
        }
        return chosen;
    }

    private static double latency(UploadPlan plan, int partition, QueryTiming timing, double start,
            SharedLink shared) {
        if (shared != null) {
            shared.rollback();
        }
        return timing.latencyMs(plan.partitions().get(partition).serverSegments(), start);
    }

    /** The client's choice: the fastest of local, every ready partition and (ROUTE_BY_ETA) every arriving one. */
    private static QueryRecord route(UploadPlan plan, int ready, QueryTiming timing, double localMs, double start,
            SharedLink shared, List<Double> usableMs) {
        boolean byEta = plan.earlyQueries() == EarlyQueryPolicy.ROUTE_BY_ETA;
        int bestPlan = -1;
        double best = localMs;
        int last = byEta ? plan.partitions().size() - 1 : ready;
        for (int j = 0; j <= last; j++) {
            if (plan.partitions().get(j).serverSegments().isEmpty()) {
                continue;
            }
            // a route whose client parts are still being built: the query builds them first (the client's Router)
            double building = j < usableMs.size() ? Math.max(0, usableMs.get(j) - start) : 0;
            if (Double.isInfinite(building)) {
                continue;
            }
            double latency = latency(plan, j, timing, start, shared) + building;
            if (latency < best) {
                bestPlan = j;
                best = latency;
            }
        }
        return new QueryRecord(start, best, bestPlan);
    }

    private static QueryRecord choose(UploadPlan plan, int ready, QueryTiming timing, double localMs, double start,
            SharedLink shared) {
        int partitions = plan.partitions().size();
        EarlyQueryPolicy policy = plan.earlyQueries() == null ? EarlyQueryPolicy.LOCAL : plan.earlyQueries();
        if (policy == EarlyQueryPolicy.ROUTE_BY_ETA) {
            int bestPlan = ready;
            double best = ready < 0 ? localMs : latency(plan, ready, timing, start, shared);
            if (ready >= 0 && localMs < best) {
                bestPlan = -1;
                best = localMs;
            }
            for (int j = ready + 1; j < partitions; j++) {
                double waiting = latency(plan, j, timing, start, shared);
                if (waiting < best) {
                    bestPlan = j;
                    best = waiting;
                }
            }
            return new QueryRecord(start, best, bestPlan);
        }
        if (ready < 0 && (policy == EarlyQueryPolicy.LOCAL || partitions == 0)) {
            return new QueryRecord(start, localMs, -1);
        }
        int used = Math.max(ready, 0);
        return new QueryRecord(start, latency(plan, used, timing, start, shared), used);
    }

    private static SimulationResult measure(CostProfile profile, UploadPlan plan, double bandwidthMbps,
            List<PartitionTiming> partitions, double uploadDone, double window, double localMs,
            List<QueryRecord> queries) {
        return measure(plan.strategy(), profile, bandwidthMbps, partitions, uploadDone, window, localMs, queries);
    }

    /**
     * The metrics of simulated queries: those started before {@code uploadDone} make the during-upload mean, those
     * started in [0, window) the common-window ones (the first query always counts).
     */
    static SimulationResult measure(String name, CostProfile profile, double bandwidthMbps,
            List<PartitionTiming> partitions, double uploadDone, double window, double localMs,
            List<QueryRecord> queries) {
        double duringSum = 0;
        int during = 0;
        double windowSum = 0;
        int inWindow = 0;
        double area = 0;
        double worst = 0;
        for (int q = 0; q < queries.size(); q++) {
            QueryRecord query = queries.get(q);
            if (q > 0 && query.startMs() >= window) {
                break;
            }
            if (query.startMs() < uploadDone) {
                duringSum += query.latencyMs();
                during++;
            }
            windowSum += query.latencyMs();
            inWindow++;
            double until = q + 1 < queries.size() ? queries.get(q + 1).startMs() : query.startMs() + query.latencyMs();
            area += query.latencyMs() * Math.max(0, Math.min(until, window) - query.startMs());
            worst = Math.max(worst, query.latencyMs() / localMs);
        }
        double first = queries.get(0).latencyMs();
        List<QueryRecord> kept = queries.subList(0, inWindow);
        return new SimulationResult(name, profile.model(), bandwidthMbps,
                during == 0 ? first : duringSum / during, during, windowSum / inWindow, window,
                window > 0 ? area / window : first, first, worst, uploadDone, localMs, partitions, kept);
    }
}
