package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.EarlyQueryPolicy;
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
        return run(profile, plan, bandwidthMbps, options, timeline, Math.max(commonWindowMs, timeline.doneMs()),
                bytesPerMs);
    }

    /** Simulates each plan over the same window: up to the latest upload end among them. */
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
        List<SimulationResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            results.add(run(profile, plans.get(i), bandwidthMbps, options, timelines.get(i), window, bytesPerMs));
        }
        return results;
    }

    private static SimulationResult run(CostProfile profile, UploadPlan plan, double bandwidthMbps,
            SimulationOptions options, UploadTimeline timeline, double window, double bytesPerMs) {
        QueryTiming timing = new QueryTiming(profile, bytesPerMs, timeline);
        double localMs = timing.localMs();
        List<QueryRecord> queries = new ArrayList<>();
        double free = 0;
        // one query past the window, so the last one inside knows how long its latency holds
        while (queries.isEmpty() || queries.get(queries.size() - 1).startMs() < window) {
            if (queries.size() >= MAX_QUERIES) {
                throw new IllegalArgumentException("model '" + profile.model() + "': over " + MAX_QUERIES
                        + " queries before the upload ends; do its queries take any time?");
            }
            double start = Math.max(free, queries.size() * options.queryIntervalMs());
            QueryRecord query = query(plan, timeline, timing, localMs, start);
            queries.add(query);
            free = start + query.latencyMs();
        }
        return measure(profile, plan, bandwidthMbps, timeline, window, localMs, queries);
    }

    private static QueryRecord query(UploadPlan plan, UploadTimeline timeline, QueryTiming timing, double localMs,
            double start) {
        int ready = timeline.newestReadyAt(start);
        int partitions = plan.partitions().size();
        EarlyQueryPolicy policy = plan.earlyQueries() == null ? EarlyQueryPolicy.LOCAL : plan.earlyQueries();
        if (policy == EarlyQueryPolicy.ROUTE_BY_ETA) {
            int bestPlan = ready;
            double best = ready < 0 ? localMs : timing.latencyMs(plan.partitions().get(ready).serverSegments(), start);
            if (ready >= 0 && localMs < best) {
                bestPlan = -1;
                best = localMs;
            }
            for (int j = ready + 1; j < partitions; j++) {
                double waiting = timing.latencyMs(plan.partitions().get(j).serverSegments(), start);
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
        return new QueryRecord(start, timing.latencyMs(plan.partitions().get(used).serverSegments(), start), used);
    }

    private static SimulationResult measure(CostProfile profile, UploadPlan plan, double bandwidthMbps,
            UploadTimeline timeline, double window, double localMs, List<QueryRecord> queries) {
        double uploadDone = timeline.doneMs();
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
        return new SimulationResult(plan.strategy(), profile.model(), bandwidthMbps,
                during == 0 ? first : duringSum / during, during, windowSum / inWindow, window,
                window > 0 ? area / window : first, first, worst, uploadDone, localMs, timeline.partitions(), kept);
    }
}
