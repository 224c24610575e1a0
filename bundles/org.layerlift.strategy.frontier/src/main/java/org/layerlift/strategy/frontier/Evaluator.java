package org.layerlift.strategy.frontier;

import java.util.Arrays;

/**
 * Scores an upload order the way the simulator would run it: one unit per partition, sent back to back at the link
 * rate, each ready when its bytes arrived and it was loaded (loading overlaps the next send); partition j's plan is
 * the fastest plan over the units uploaded so far; queries run back to back from t = 0 and each takes the fastest of
 * running locally, the newest ready plan, or a later plan whose weights it waits for (route by ETA). The score is the
 * area under the latency-over-time curve up to a fixed window; after the upload every query takes the final plan, so
 * that tail is added in closed form.
 *
 * <p>The fastest plan after each unit comes from a {@link PlanTree} (O(log n) per unit), with its latency and its
 * delay (a query started at t with it takes latency + max(0, delay - t)), so one evaluation costs O(m log n) for m
 * units plus O(min(lookahead, plans)) per query, and the plans themselves are only recovered (incrementally) when a
 * caller needs them. Not thread-safe: one per planning call.
 */
final class Evaluator {

    /**
     * How many later plans a query considers waiting for. The simulator tries them all, so with more plans than this
     * (only on long chains) the score is pessimistic, never optimistic.
     */
    static final int MAX_LOOKAHEAD = 64;

    private final Chain chain;
    private final double windowMs;
    private final PlanTree tree;
    private long work;

    Evaluator(Chain chain, double windowMs) {
        this.chain = chain;
        this.windowMs = windowMs;
        this.tree = new PlanTree(chain);
    }

    /** What an order gives. */
    static final class Outcome {
        final int[] order;
        final double area;
        final double latencySum;
        final long queries;
        /**
         * With {@link Detail#PLANS}: the plans in the sequence (each beating everything before it) and the partition
         * that brings each (0: ready at once, from units already on the server; j: after the j-th unit of the
         * order); with USED or PLANS: the units some plan uses. Otherwise null.
         */
        final Chain.Plan[] plans;
        final int[] planAfter;
        final boolean[] used;

        Outcome(int[] order, double area, double latencySum, long queries, Chain.Plan[] plans, int[] planAfter,
                boolean[] used) {
            this.order = order;
            this.area = area;
            this.latencySum = latencySum;
            this.queries = queries;
            this.plans = plans;
            this.planAfter = planAfter;
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

    /**
     * Work done by all evaluations so far, in steps of roughly equal cost (a few ns): tree work ({@link PlanTree}),
     * one per unit sent, per query and per later plan a query considers, one per eight units of a recovered plan.
     */
    long work() {
        return work + tree.steps();
    }

    /** What an evaluation recovers besides the score. */
    enum Detail {
        /** the score only */
        SCORE,
        /** and the units some plan in the sequence uses */
        USED,
        /** and the plans themselves */
        PLANS
    }

    /** The score of an order (no plans recovered). */
    Outcome evaluate(int[] order) {
        return evaluate(order, Detail.SCORE);
    }

    /** The score of an order, and what else detail asks for. */
    Outcome evaluate(int[] order, Detail detail) {
        boolean details = detail != Detail.SCORE;
        boolean withPlans = detail == Detail.PLANS;
        int m = order.length;
        tree.reset();
        // the plans in the sequence: latency, delay, when the partition bringing them is ready
        double[] steady = new double[m + 1];
        double[] delay = new double[m + 1];
        double[] readyAt = new double[m + 1];
        int[] after = new int[m + 1];
        int k = 0;
        Chain.Plan[] plans = withPlans ? new Chain.Plan[m + 1] : null;
        boolean[] used = details ? new boolean[chain.n] : null;
        double bestSoFar = chain.localMs;
        double value = tree.value();
        if (value < bestSoFar && !tree.allClient()) {
            bestSoFar = value;
            steady[k] = value;
            delay[k] = tree.delay();
            readyAt[k] = 0;
            after[k] = 0;
            if (details) {
                tree.refresh(used);
                if (withPlans) {
                    plans[k] = plan(value);
                }
            }
            k++;
        }
        long sent = 0;
        double ready = 0;
        for (int j = 0; j < m; j++) {
            int u = order[j];
            sent += chain.bytes[u];
            ready = max(sent / chain.bytesPerMs, ready) + chain.loadMs[u];
            tree.add(u, ready);
            value = tree.value();
            if (value < bestSoFar && !tree.allClient()) {
                bestSoFar = value;
                steady[k] = value;
                delay[k] = tree.delay();
                readyAt[k] = ready;
                after[k] = j + 1;
                if (details) {
                    tree.refresh(used);
                    if (withPlans) {
                        plans[k] = plan(value);
                    }
                }
                k++;
            }
        }
        work += m;
        // a query waiting for plan p finishes no earlier than steady + delay: prune the later plans by that
        double[] suffixMinFinish = new double[k + 1];
        suffixMinFinish[k] = Double.POSITIVE_INFINITY;
        for (int p = k - 1; p >= 0; p--) {
            suffixMinFinish[p] = min(suffixMinFinish[p + 1], steady[p] + max(0, delay[p]));
        }
        double done = ready;
        double finalMs = k == 0 ? chain.localMs : min(chain.localMs, steady[k - 1]);
        double t = 0;
        double area = 0;
        double sum = 0;
        long queries = 0;
        int newest = -1;
        while (t < done && t < windowMs) {
            while (newest + 1 < k && readyAt[newest + 1] <= t) {
                newest++;
            }
            double best = chain.localMs;
            if (newest >= 0) {
                best = min(best, steady[newest] + max(0, delay[newest] - t));
            }
            for (int p = newest + 1; p < k && p <= newest + MAX_LOOKAHEAD; p++) {
                work++;
                if (suffixMinFinish[p] - t >= best) {
                    break;
                }
                best = min(best, steady[p] + max(0, delay[p] - t));
            }
            work++;
            area += best * (min(t + best, windowMs) - t);
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
        return new Outcome(order, area, sum, Math.max(1, queries), withPlans ? Arrays.copyOf(plans, k) : null,
                withPlans ? Arrays.copyOf(after, k) : null, used);
    }

    private Chain.Plan plan(double latencyMs) {
        work += chain.n >> 3;
        return new Chain.Plan(Chain.Plan.segmentsOf(tree.mask()), latencyMs);
    }

    /** Math.max without the NaN and signed-zero cases, which never arise here (and cost branches). */
    private static double max(double a, double b) {
        return a >= b ? a : b;
    }

    private static double min(double a, double b) {
        return a <= b ? a : b;
    }
}
