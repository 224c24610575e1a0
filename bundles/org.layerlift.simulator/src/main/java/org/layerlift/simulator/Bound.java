package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.planning.Bandwidth;

/**
 * A lower bound on what any upload plan can achieve. A query started at t with execution plan P cannot finish before
 * t + latency(P) (latency at penalty 0, weights all there) nor before bytes(P) / bandwidth (its server weights must
 * have arrived, even if they were the very first bytes sent). The bound lets every query pick, on its own, the plan
 * minimising max(t + latency(P), bytes(P) / bandwidth) over all plans; no single upload order serves every query
 * that well, so the bound is not reachable.
 *
 * <p>Only the Pareto frontier of (bytes, latency) over plans matters. It is found exactly by a dynamic program over
 * the chain with two states per unit boundary (activation on the client, on the server), each holding its frontier
 * of partial plans. Load times and a link shared with activations only make real plans slower, so the bound ignores
 * them; units already on the server cost no bytes. Should a frontier grow past {@value #MAX_POINTS} points (never on
 * real networks), neighbouring points are merged optimistically (least bytes, least latency), which keeps it a bound.
 */
public final class Bound {

    /** The strategy name its results carry. */
    public static final String NAME = "bound";

    static final int MAX_POINTS = 4096;

    private Bound() {
    }

    /**
     * A plan on the frontier.
     *
     * @param serverUnits units it runs on the server, ascending (empty if merged points made it inexact)
     * @param bytes       weight bytes it needs that are not on the server yet
     * @param latencyMs   its latency once those are there
     */
    public record FrontierPlan(List<Integer> serverUnits, long bytes, double latencyMs) {

        public FrontierPlan {
            serverUnits = List.copyOf(serverUnits);
        }
    }

    private static final class Point {
        final long bytes;
        final double latency;
        final Point parent;
        final int serverUnit;
        final boolean exact;

        Point(long bytes, double latency, Point parent, int serverUnit, boolean exact) {
            this.bytes = bytes;
            this.latency = latency;
            this.parent = parent;
            this.serverUnit = serverUnit;
            this.exact = exact;
        }
    }

    /**
     * The plans no other plan beats on both bytes and latency, by increasing bytes (and so decreasing latency).
     * The first one is the best plan that needs no upload (running locally if none beats it).
     */
    public static List<FrontierPlan> frontier(CostProfile profile, double bandwidthMbps, Set<Integer> unitsOnServer) {
        double bytesPerMs = Bandwidth.bytesPerMs(bandwidthMbps);
        List<UnitCost> units = profile.units();
        int n = units.size();
        for (int unit : unitsOnServer) {
            if (unit < 0 || unit >= n) {
                throw new IllegalArgumentException("model '" + profile.model() + "' has no unit " + unit);
            }
        }
        // client: the activation is on the client after unit i-1 ran there; server: unit i-1 ran on the server
        List<Point> client = List.of(new Point(0, profile.clientOnlyMs(), null, -1, true));
        List<Point> server = List.of();
        for (int i = 0; i < n; i++) {
            UnitCost unit = units.get(i);
            long bytes = unitsOnServer.contains(i) ? 0 : unit.weightBytes();
            List<Point> returned = i == 0 ? List.of()
                    : shift(server, 0, units.get(i - 1).outputBytes() / bytesPerMs, -1);
            List<Point> onClient = shift(merge(client, returned), 0, unit.clientMs(), -1);
            List<Point> onServer = shift(merge(shift(client, 0, unit.inputBytes() / bytesPerMs, -1), server), bytes,
                    unit.serverMs(), i);
            client = onClient;
            server = onServer;
        }
        List<Point> last = merge(client, shift(server, 0, units.get(n - 1).outputBytes() / bytesPerMs, -1));
        List<FrontierPlan> plans = new ArrayList<>();
        for (Point point : last) {
            List<Integer> serverUnits = new ArrayList<>();
            boolean exact = true;
            for (Point p = point; p != null; p = p.parent) {
                exact &= p.exact;
                if (p.serverUnit >= 0) {
                    serverUnits.add(p.serverUnit);
                }
            }
            Collections.reverse(serverUnits);
            plans.add(new FrontierPlan(exact ? serverUnits : List.of(), point.bytes, point.latency));
        }
        return plans;
    }

    /** Every point plus bytes and ms; a new point records the unit it ran on the server (or -1). */
    private static List<Point> shift(List<Point> points, long bytes, double ms, int serverUnit) {
        List<Point> shifted = new ArrayList<>(points.size());
        for (Point p : points) {
            shifted.add(serverUnit < 0 && bytes == 0 && ms == 0 ? p
                    : new Point(p.bytes + bytes, p.latency + ms, p, serverUnit, true));
        }
        return shifted;
    }

    /** The frontier of two frontiers, each sorted by increasing bytes and decreasing latency. */
    private static List<Point> merge(List<Point> a, List<Point> b) {
        List<Point> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        double bestLatency = Double.POSITIVE_INFINITY;
        while (i < a.size() || j < b.size()) {
            Point next;
            if (j >= b.size() || i < a.size() && (a.get(i).bytes < b.get(j).bytes
                    || a.get(i).bytes == b.get(j).bytes && a.get(i).latency <= b.get(j).latency)) {
                next = a.get(i++);
            } else {
                next = b.get(j++);
            }
            if (next.latency < bestLatency) {
                merged.add(next);
                bestLatency = next.latency;
            }
        }
        return merged.size() > MAX_POINTS ? thin(merged) : merged;
    }

    /** Merges neighbours into MAX_POINTS / 2 byte buckets, each keeping its least bytes and least latency. */
    private static List<Point> thin(List<Point> points) {
        long low = points.get(0).bytes;
        long high = points.get(points.size() - 1).bytes;
        double width = Math.max(1.0, (double) (high - low) / (MAX_POINTS / 2));
        List<Point> thinned = new ArrayList<>();
        int k = 0;
        while (k < points.size()) {
            Point first = points.get(k);
            long bucket = (long) ((first.bytes - low) / width);
            int end = k;
            while (end + 1 < points.size() && (long) ((points.get(end + 1).bytes - low) / width) == bucket) {
                end++;
            }
            Point best = points.get(end);
            thinned.add(end == k ? first : new Point(first.bytes, best.latency, best, -1, false));
            k = end + 1;
        }
        return thinned;
    }

    /** Latency of a query started at {@code startMs} under the bound, and which frontier plan gives it. */
    static int bestPlan(List<FrontierPlan> frontier, double bytesPerMs, double startMs) {
        // latency falls and arrival rises along the frontier: the best is where they cross
        int lo = 0;
        int hi = frontier.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            FrontierPlan p = frontier.get(mid);
            if (p.bytes() / bytesPerMs - startMs >= p.latencyMs()) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int best = lo;
        if (lo > 0 && latency(frontier.get(lo - 1), bytesPerMs, startMs)
                <= latency(frontier.get(lo), bytesPerMs, startMs)) {
            best = lo - 1;
        }
        return best;
    }

    static double latency(FrontierPlan plan, double bytesPerMs, double startMs) {
        return Math.max(plan.latencyMs(), plan.bytes() / bytesPerMs - startMs);
    }

    /**
     * Queries as the simulator raises them (back to back, or at the options' interval), each at its bound latency,
     * measured over [0, max(commonWindowMs, steady state)) where steady state is when the bytes of the fastest plan
     * could have arrived. Partitions list the frontier plans, each ready when its bytes could have arrived.
     */
    public static SimulationResult simulate(CostProfile profile, double bandwidthMbps, SimulationOptions options,
            double commonWindowMs) {
        double bytesPerMs = Bandwidth.bytesPerMs(bandwidthMbps);
        List<FrontierPlan> frontier = frontier(profile, bandwidthMbps, options.unitsOnServer());
        List<PartitionTiming> partitions = new ArrayList<>();
        for (FrontierPlan plan : frontier) {
            List<String> layers = new ArrayList<>();
            for (int unit : plan.serverUnits()) {
                layers.addAll(profile.units().get(unit).layers());
            }
            partitions.add(new PartitionTiming(plan.serverUnits(), layers, plan.bytes(), plan.bytes() / bytesPerMs));
        }
        double localMs = profile.clientOnlyMs();
        for (UnitCost unit : profile.units()) {
            localMs += unit.clientMs();
        }
        double steady = frontier.get(frontier.size() - 1).bytes() / bytesPerMs;
        double window = Math.max(commonWindowMs, steady);
        List<QueryRecord> queries = new ArrayList<>();
        double free = 0;
        while (queries.isEmpty() || queries.get(queries.size() - 1).startMs() < window) {
            if (queries.size() >= 5_000_000) {
                throw new IllegalArgumentException("model '" + profile.model()
                        + "': too many queries in the window; do its queries take any time?");
            }
            double start = Math.max(free, queries.size() * options.queryIntervalMs());
            int plan = bestPlan(frontier, bytesPerMs, start);
            double latency = latency(frontier.get(plan), bytesPerMs, start);
            queries.add(new QueryRecord(start, latency, plan));
            free = start + latency;
        }
        return Simulator.measure(NAME, profile, bandwidthMbps, partitions, steady, window, localMs, queries);
    }
}
