package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores an upload order the way the simulator would run it: one unit per partition, sent back to back at the link
 * rate, each ready when its bytes arrived and it was loaded (loading overlaps the next send); partition j's plan is
 * the fastest plan over the units uploaded so far; queries run back to back from t = 0 and each takes the fastest of
 * running locally, the newest ready plan, or a later plan whose weights it waits for (route by ETA). The score is the
 * area under the latency-over-time curve up to a fixed window; after the upload every query takes the final plan, so
 * that tail is added in closed form.
 */
final class Evaluator {

    /**
     * How many later plans a query considers waiting for. The simulator tries them all, so with more plans than this
     * (only on long chains) the score is pessimistic, never optimistic.
     */
    static final int MAX_LOOKAHEAD = 64;

    private final Chain chain;
    private final double windowMs;

    Evaluator(Chain chain, double windowMs) {
        this.chain = chain;
        this.windowMs = windowMs;
    }

    /** What an order gives. */
    static final class Outcome {
        final int[] order;
        /** plan of each partition; plans[0] is the plan before any (on-server units only) */
        final Chain.Plan[] plans;
        final double[] readyMs;
        final double area;
        final double latencySum;
        final long queries;
        final boolean[] used;

        Outcome(int[] order, Chain.Plan[] plans, double[] readyMs, double area, double latencySum, long queries,
                boolean[] used) {
            this.order = order;
            this.plans = plans;
            this.readyMs = readyMs;
            this.area = area;
            this.latencySum = latencySum;
            this.queries = queries;
            this.used = used;
        }

        double meanMs() {
            return latencySum / queries;
        }

        /**
         * The objective: area under the latency curve times the mean latency per query. Back-to-back queries fill
         * the window, so the mean is the window over the number of queries and this is area / queries: the
         * time-averaged latency and the per-query mean weigh the same (a geometric blend of the two metrics).
         */
        double score() {
            return area * meanMs();
        }

        boolean betterThan(Outcome other) {
            return other == null || score() < other.score() * (1 - 1e-12);
        }
    }

    /** A plan as the query timing needs it: per server segment, what comes before, its wait, its work. */
    private static final class Timed {
        final double steadyMs;
        final double readyAt;      // when the newest partition it needs is ready
        final double maxUnitReady; // latest arrival among its server units
        final double[] before;     // client time before the segment (from the previous one)
        final double[] in;
        final double[] unitsReady;
        final double[] work;       // server time + output return
        final double tail;

        Timed(Chain chain, Chain.Plan plan, double[] unitReady, double readyAt) {
            this.steadyMs = plan.latencyMs();
            this.readyAt = readyAt;
            boolean[] server = plan.server();
            List<double[]> segs = new ArrayList<>();
            double pending = chain.clientOnlyMs;
            double maxReady = 0;
            int i = 0;
            while (i < chain.n) {
                if (!server[i]) {
                    pending += chain.tc[i];
                    i++;
                    continue;
                }
                double in = chain.inMs[i];
                double ready = 0;
                double work = 0;
                while (i < chain.n && server[i]) {
                    ready = Math.max(ready, unitReady[i]);
                    work += chain.ts[i];
                    i++;
                }
                work += chain.outMs[i - 1];
                segs.add(new double[] {pending, in, ready, work});
                maxReady = Math.max(maxReady, ready);
                pending = 0;
            }
            int k = segs.size();
            before = new double[k];
            this.in = new double[k];
            unitsReady = new double[k];
            this.work = new double[k];
            for (int s = 0; s < k; s++) {
                double[] seg = segs.get(s);
                before[s] = seg[0];
                this.in[s] = seg[1];
                unitsReady[s] = seg[2];
                this.work[s] = seg[3];
            }
            tail = pending;
            maxUnitReady = maxReady;
        }

        double latency(double start) {
            double time = start;
            for (int s = 0; s < before.length; s++) {
                time += before[s];
                time += in[s];
                time = Math.max(time, unitsReady[s]);
                time += work[s];
            }
            time += tail;
            return time - start;
        }
    }

    Outcome evaluate(int[] order) {
        int m = order.length;
        boolean[] available = chain.onServer.clone();
        double[] unitReady = new double[chain.n];
        java.util.Arrays.fill(unitReady, Double.POSITIVE_INFINITY);
        for (int i = 0; i < chain.n; i++) {
            if (chain.onServer[i]) {
                unitReady[i] = 0;
            }
        }
        Chain.Plan[] plans = new Chain.Plan[m + 1];
        double[] readyMs = new double[m];
        plans[0] = chain.best(available);
        long sent = 0;
        double ready = 0;
        for (int j = 0; j < m; j++) {
            int u = order[j];
            available[u] = true;
            sent += chain.bytes[u];
            ready = Math.max(sent / chain.bytesPerMs, ready) + chain.loadMs[u];
            readyMs[j] = ready;
            unitReady[u] = ready;
            plans[j + 1] = chain.best(available);
        }
        // the distinct plans, in upload order, that beat everything before them
        List<Timed> timed = new ArrayList<>();
        boolean[] used = new boolean[chain.n];
        double bestSoFar = chain.localMs;
        Chain.Plan previous = null;
        for (int j = 0; j <= m; j++) {
            Chain.Plan plan = plans[j];
            if (plan.sameAs(previous) || !(plan.latencyMs() < bestSoFar)) {
                continue;
            }
            previous = plan;
            bestSoFar = plan.latencyMs();
            for (int i = 0; i < chain.n; i++) {
                used[i] |= plan.server()[i];
            }
            timed.add(new Timed(chain, plan, unitReady, j == 0 ? 0 : readyMs[j - 1]));
        }
        int k = timed.size();
        double[] suffixMinReady = new double[k + 1];
        suffixMinReady[k] = Double.POSITIVE_INFINITY;
        for (int p = k - 1; p >= 0; p--) {
            suffixMinReady[p] = Math.min(suffixMinReady[p + 1], timed.get(p).maxUnitReady);
        }
        double done = m == 0 ? 0 : readyMs[m - 1];
        double finalMs = k == 0 ? chain.localMs : Math.min(chain.localMs, timed.get(k - 1).steadyMs);
        double t = 0;
        double area = 0;
        double sum = 0;
        long queries = 0;
        int newest = -1;
        while (t < done && t < windowMs) {
            while (newest + 1 < k && timed.get(newest + 1).readyAt <= t) {
                newest++;
            }
            double best = chain.localMs;
            if (newest >= 0) {
                best = Math.min(best, timed.get(newest).latency(t));
            }
            for (int p = newest + 1; p < k && p <= newest + MAX_LOOKAHEAD; p++) {
                if (suffixMinReady[p] - t >= best) {
                    break;
                }
                Timed plan = timed.get(p);
                if (plan.steadyMs >= best || plan.maxUnitReady - t >= best) {
                    continue;
                }
                best = Math.min(best, plan.latency(t));
            }
            area += best * (Math.min(t + best, windowMs) - t);
            sum += best;
            queries++;
            t += best;
        }
        if (t < windowMs) {
            area += finalMs * (windowMs - t);
            long more = (long) Math.ceil((windowMs - t) / finalMs);
            sum += more * finalMs;
            queries += more;
        }
        return new Outcome(order, plans, readyMs, area, sum, Math.max(1, queries), used);
    }
}
