package org.layerlift.strategy.ionn;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.Segments;
import org.layerlift.planning.UnitChain;

/**
 * IONN's penalty-factor plan: solve the execution graph with the upload+load cost weighted by p = K^level for
 * level = 0, 1, 2, ... until p would fall under 0.001 (then p = 0), and upload, step by step, the units each new
 * plan adds. Queries before the first partition is ready run locally.
 */
public final class IonnStrategy implements PartitionStrategy {

    public static final String NAME = "ionn";

    @Override
    public String name() {
        return NAME;
    }
    public static final double DEFAULT_K = 0.8;
    /** More levels than this means K is so close to 1 that planning would crawl; no useful K needs it. */
    private static final int MAX_LEVELS = 100_000;

    private final float k;

    public IonnStrategy() {
        this(DEFAULT_K);
    }

    /** @param k the penalty decay per level, 0 &lt; K &lt; 1 */
    public IonnStrategy(double k) {
        if (!(k > 0 && k < 1)) {
            throw new IllegalArgumentException("IONN's K must lie strictly between 0 and 1, got " + k);
        }
        if (Math.log(0.001) / Math.log(k) > MAX_LEVELS) {
            throw new IllegalArgumentException("IONN's K = " + k + " is too close to 1: over " + MAX_LEVELS
                    + " planning levels");
        }
        // the authors read K with strtof
        this.k = (float) k;
    }

    public double k() {
        return k;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        UnitChain chain = UnitChain.of(request.profile(), request.bandwidthMbps(), request.unitsOnServer());
        List<Step> steps = steps(new ExecutionGraph(chain));
        List<Partition> partitions = new ArrayList<>();
        SortedSet<Integer> uploaded = new TreeSet<>(request.unitsOnServer());
        for (Step step : steps) {
            SortedSet<Integer> added = new TreeSet<>(Segments.units(step.serverSegments()));
            added.removeAll(uploaded);
            uploaded.addAll(added);
            partitions.add(new Partition(List.copyOf(added), step.serverSegments()));
        }
        return new UploadPlan(NAME, partitions, EarlyQueryPolicy.LOCAL);
    }

    /** The distinct non-empty plans in the order the falling penalty reveals them. */
    List<Step> steps(ExecutionGraph graph) {
        List<Step> steps = new ArrayList<>();
        for (int level = 0;; level++) {
            // float progress, double comparison: the C++ types, so the last level lands where theirs does
            float progress = (float) (1.0 - Math.pow(k, level));
            if (progress > 0.999) {
                progress = 1f;
            }
            float penalty = 1f - progress;
            List<Segment> plan = graph.shortestPath(penalty).serverSegments();
            if (!plan.isEmpty() && (steps.isEmpty() || !plan.equals(steps.get(steps.size() - 1).serverSegments()))) {
                steps.add(new Step(penalty, plan));
            }
            if (progress >= 1f) {
                return steps;
            }
        }
    }

    /** A plan and the penalty at which it first appeared. */
    record Step(float penalty, List<Segment> serverSegments) {
    }
}
