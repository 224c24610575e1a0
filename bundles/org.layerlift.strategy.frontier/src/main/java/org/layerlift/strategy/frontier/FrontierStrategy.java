package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;

/**
 * Uploads unit by unit, in the order that keeps queries fastest while the upload runs, and lets each query route
 * itself by the partitions' ETAs. Candidate orders (greedy gain per byte over ranges, the convex hull of
 * bytes vs latency, IONN's penalty sweep) are scored by simulating the upload and queries exactly as the simulator
 * does (area under the latency curve), and the best is improved by moving blocks of units while that pays, within a
 * fixed amount of work. Each partition's plan is the fastest one over the units uploaded so far, so no query is
 * ever slower than running locally. See docs/strategies.md.
 */
public final class FrontierStrategy implements PartitionStrategy {

    public static final String NAME = "frontier";

    /** Chains longer than this skip the greedy over ranges (O(n^3)). */
    private static final int LONG_CHAIN = 200;
    /** Local search: evaluations allowed, and the longest moved block. */
    private static final int MAX_EVALUATIONS = 800;
    private static final int MAX_BLOCK = 4;
    /** Evaluation work allowed for the local search, in (partitions x units) steps of an evaluation. */
    private static final long SEARCH_WORK = 2_000_000L;
    /**
     * Wall-clock guards. Chains up to LONG_CHAIN units are planned by a fixed amount of work (deterministic plans);
     * their guard only stops a pathological case. Longer chains stop trying candidates past the short guard.
     */
    private static final long DEADLINE_NANOS = 30_000_000L;
    private static final long SHORT_CHAIN_GUARD_NANOS = 2_000_000_000L;

    private final long maxEvaluations;
    private final long searchWork;
    private final long deadlineNanos;

    public FrontierStrategy() {
        this(MAX_EVALUATIONS, SEARCH_WORK, DEADLINE_NANOS);
    }

    /** A search of another size, for experiments: evaluations, evaluation work and time allowed. */
    FrontierStrategy(long maxEvaluations, long searchWork, long deadlineNanos) {
        this.maxEvaluations = maxEvaluations;
        this.searchWork = searchWork;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        long started = System.nanoTime();
        Chain chain = new Chain(request.profile(), request.bandwidthMbps(), request.unitsOnServer());
        long deadline = started + (chain.n <= LONG_CHAIN ? Math.max(deadlineNanos, SHORT_CHAIN_GUARD_NANOS)
                : deadlineNanos);
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
            if (best != null && System.nanoTime() > deadline) {
                break;
            }
            Evaluator.Outcome outcome = trim(evaluator, evaluator.evaluate(order));
            if (outcome.betterThan(best)) {
                best = outcome;
            }
        }
        best = improve(evaluator, best, chain, deadline, Math.min(maxEvaluations,
                searchWork / Math.max(1L, (long) (best.order.length + 1) * chain.n)));
        return toPlan(chain, best);
    }

    /** Drops units no plan uses: they only delay the others. */
    private static Evaluator.Outcome trim(Evaluator evaluator, Evaluator.Outcome outcome) {
        while (true) {
            int[] kept = Arrays.stream(outcome.order).filter(u -> outcome.used[u]).toArray();
            if (kept.length == outcome.order.length) {
                return outcome;
            }
            Evaluator.Outcome trimmed = evaluator.evaluate(kept);
            if (!trimmed.betterThan(outcome)) {
                return outcome;
            }
            return trim(evaluator, trimmed);
        }
    }

    /** First-improvement local search: move a block of up to MAX_BLOCK consecutive units elsewhere in the order. */
    private static Evaluator.Outcome improve(Evaluator evaluator, Evaluator.Outcome start, Chain chain,
            long deadline, long budget) {
        int m = start.order.length;
        Evaluator.Outcome best = start;
        long evaluations = 0;
        boolean improved = true;
        while (improved && evaluations < budget) {
            improved = false;
            for (int length = 1; length <= MAX_BLOCK && !improved; length++) {
                for (int from = 0; from + length <= m && !improved; from++) {
                    for (int to = 0; to + length <= m && !improved; to++) {
                        if (to == from) {
                            continue;
                        }
                        if (evaluations >= budget || System.nanoTime() > deadline) {
                            return best;
                        }
                        evaluations++;
                        Evaluator.Outcome moved = evaluator.evaluate(move(best.order, from, length, to));
                        if (moved.betterThan(best)) {
                            best = moved;
                            improved = true;
                        }
                    }
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
        Chain.Plan current = null;
        double currentMs = chain.localMs;
        Chain.Plan base = outcome.plans[0];
        if (base.latencyMs() < currentMs) {
            current = base;
            currentMs = base.latencyMs();
            partitions.add(new Partition(List.of(), base.segments()));
        }
        for (int j = 0; j < outcome.order.length; j++) {
            Chain.Plan plan = outcome.plans[j + 1];
            if (plan.latencyMs() < currentMs) {
                current = plan;
                currentMs = plan.latencyMs();
            }
            partitions.add(new Partition(List.of(outcome.order[j]), current == null ? List.of() : current.segments()));
        }
        return new UploadPlan(NAME, partitions, EarlyQueryPolicy.ROUTE_BY_ETA);
    }
}
