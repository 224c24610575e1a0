package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

/**
 * Uploads unit by unit, in the order that keeps queries fastest while the upload runs, and lets each query route
 * itself by the partitions' ETAs. Candidate orders (greedy gain per byte over ranges, the convex hull of
 * bytes vs latency, IONN's penalty sweep) are scored by simulating the upload and queries exactly as the simulator
 * does (area under the latency curve, {@link Evaluator}, incremental over the order with a {@link PlanTree}), and the
 * best is improved by moving blocks of units while that pays, within a fixed amount of work: a count of evaluation
 * steps, never the clock, so a request always gets the same plan. Each partition's plan is the fastest one over the
 * units uploaded so far, so no query is ever slower than running locally. See docs/strategies.md.
 */
public final class FrontierStrategy implements PartitionStrategy {

    public static final String NAME = "frontier";

    /** Chains longer than this skip the greedy over ranges (O(n^3)). */
    private static final int LONG_CHAIN = 200;
    /** Local search: evaluations allowed, and the longest moved block. */
    private static final int MAX_EVALUATIONS = 100_000;
    private static final int MAX_BLOCK = 4;
    /**
     * Work allowed to the evaluator over one plan (candidates and local search), in steps of a few ns each:
     * segment-tree nodes recomputed or visited, units sent, query steps ({@link Evaluator#work()}). The candidates
     * are always scored; the local search stops once the count passes this. A count, not a clock, so the same request
     * gives the same plan on any machine under any load.
     */
    static final long WORK_BUDGET = 1_500_000L;

    private final long maxEvaluations;
    private final long workBudget;

    public FrontierStrategy() {
        this(MAX_EVALUATIONS, WORK_BUDGET);
    }

    /** A search of another size, for experiments: local-search evaluations and evaluator work allowed. */
    FrontierStrategy(long maxEvaluations, long workBudget) {
        this.maxEvaluations = maxEvaluations;
        this.workBudget = workBudget;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        Chain chain = new Chain(request.profile(), request.bandwidthMbps(), request.unitsOnServer());
        double window = 0;
        for (int u = 0; u < chain.n; u++) {
            window += chain.bytes[u] / chain.bytesPerMs + chain.loadMs[u];
        }
        Evaluator evaluator = new Evaluator(chain, Math.max(window, chain.localMs));
        List<int[]> candidates = new ArrayList<>();
        if (chain.n <= LONG_CHAIN) {
            candidates.add(Orders.greedyRanges(chain, chain.n));
        }
        candidates.add(Orders.hull(chain));
        candidates.add(Orders.penaltySweep(chain, 0.8));
        Evaluator.Outcome best = null;
        for (int[] order : candidates) {
            Evaluator.Outcome outcome = trim(evaluator, evaluator.evaluate(order, Evaluator.Detail.USED));
            if (outcome.betterThan(best)) {
                best = outcome;
            }
        }
        best = improve(evaluator, best, maxEvaluations, workBudget);
        return toPlan(chain, evaluator.evaluate(best.order, Evaluator.Detail.PLANS));
    }

    /** Drops units no plan uses: they only delay the others. */
    private static Evaluator.Outcome trim(Evaluator evaluator, Evaluator.Outcome outcome) {
        while (true) {
            int[] kept = Arrays.stream(outcome.order).filter(u -> outcome.used[u]).toArray();
            if (kept.length == outcome.order.length) {
                return outcome;
            }
            Evaluator.Outcome trimmed = evaluator.evaluate(kept, Evaluator.Detail.USED);
            if (!trimmed.betterThan(outcome)) {
                return outcome;
            }
            return trim(evaluator, trimmed);
        }
    }

    /**
     * First-improvement local search: move a block of up to MAX_BLOCK consecutive units elsewhere in the order (all
     * blocks of length 1, then of length 2, ...; each to every other position), keeping a move as soon as it lowers
     * the score. The scan goes on from the move after the one kept, wrapping around, and stops after a whole round of
     * moves without a gain (a local optimum), when the evaluations run out or when the evaluator's work passes the
     * budget.
     */
    static Evaluator.Outcome improve(Evaluator evaluator, Evaluator.Outcome start, long maxEvaluations,
            long workBudget) {
        int m = start.order.length;
        int maxBlock = Math.min(MAX_BLOCK, m - 1);
        if (maxBlock < 1) {
            return start;
        }
        long round = 0;
        for (int length = 1; length <= maxBlock; length++) {
            round += (long) (m - length + 1) * (m - length);
        }
        Evaluator.Outcome best = start;
        long evaluations = 0;
        long sinceGain = 0;
        int length = 1;
        int from = 0;
        int to = 0;
        while (sinceGain < round) {
            if (evaluations >= maxEvaluations || evaluator.work() >= workBudget) {
                return best;
            }
            if (to != from) {
                evaluations++;
                sinceGain++;
                Evaluator.Outcome moved = evaluator.evaluate(move(best.order, from, length, to));
                if (moved.betterThan(best)) {
                    best = moved;
                    sinceGain = 0;
                }
            }
            // next move: to, then from, then length, wrapping around
            if (++to + length > m) {
                to = 0;
                if (++from + length > m) {
                    from = 0;
                    length = length == maxBlock ? 1 : length + 1;
                }
            }
        }
        return best;
    }

    /** The order with the block [from, from+length) taken out and put back starting at position to. */
    static int[] move(int[] order, int from, int length, int to) {
        int[] rest = new int[order.length - length];
        int k = 0;
        for (int i = 0; i < order.length; i++) {
            if (i < from || i >= from + length) {
                rest[k++] = order[i];
            }
        }
        int[] result = new int[order.length];
        System.arraycopy(rest, 0, result, 0, to);
        System.arraycopy(order, from, result, to, length);
        System.arraycopy(rest, to, result, to + length, rest.length - to);
        return result;
    }

    /**
     * One partition per unit; its plan is the fastest so far (a partition that improves nothing keeps the previous
     * plan). Units already on the server that beat running locally get an empty first partition carrying their plan.
     */
    private static UploadPlan toPlan(Chain chain, Evaluator.Outcome outcome) {
        List<Partition> partitions = new ArrayList<>();
        int next = 0;
        List<Segment> current = List.of();
        if (next < outcome.plans.length && outcome.planAfter[next] == 0) {
            current = outcome.plans[next++].segmentList();
            partitions.add(new Partition(List.of(), current));
        }
        for (int j = 0; j < outcome.order.length; j++) {
            if (next < outcome.plans.length && outcome.planAfter[next] == j + 1) {
                current = outcome.plans[next++].segmentList();
            }
            partitions.add(new Partition(List.of(outcome.order[j]), current));
        }
        return new UploadPlan(NAME, partitions, EarlyQueryPolicy.ROUTE_BY_ETA);
    }
}
