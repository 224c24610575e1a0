package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.UnitChain;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;
import org.layerlift.strategy.efficiency.EfficiencyStrategy;
import org.layerlift.strategy.ionn.IonnStrategy;

/**
 * One case (profile, bandwidth): IONN, efficiency, frontier and the simple baselines simulated over the common window
 * of IONN, efficiency and frontier, plus the bound over that window. Baselines: local (nothing uploaded),
 * all-at-once (the whole steady-state plan in one partition, local until it is ready) and one-shot (the same
 * partition, but the first queries wait for it as the efficiency driver does).
 */
record Comparison(CostProfile profile, double mbps, SimulationResult ionn, SimulationResult efficiency,
        SimulationResult frontier, SimulationResult bound, List<SimulationResult> baselines, long planNanos) {

    static final double[] BANDWIDTHS = {10, 20, 40, 80, 160};

    static Comparison of(CostProfile profile, double mbps) {
        PlanRequest request = new PlanRequest(profile, mbps, Set.of());
        UploadPlan ionn = new IonnStrategy().plan(request);
        UploadPlan efficiency = new EfficiencyStrategy().plan(request);
        long start = System.nanoTime();
        UploadPlan frontier = new FrontierStrategy().plan(request);
        long planNanos = System.nanoTime() - start;
        SimulationOptions options = SimulationOptions.reference();
        List<SimulationResult> results = Simulator.compareWithBound(profile, List.of(ionn, efficiency, frontier),
                mbps, options);
        double window = results.get(0).commonWindowMs();
        List<SimulationResult> baselines = new ArrayList<>();
        for (UploadPlan baseline : baselines(profile, mbps)) {
            baselines.add(Simulator.simulate(profile, baseline, mbps, options, window));
        }
        return new Comparison(profile, mbps, results.get(0), results.get(1), results.get(2), results.get(3),
                baselines, planNanos);
    }

    static List<UploadPlan> baselines(CostProfile profile, double mbps) {
        List<Segment> steady = new ExecutionGraph(UnitChain.of(profile, mbps)).shortestPath(0f).serverSegments();
        List<Integer> units = new ArrayList<>();
        for (Segment s : steady) {
            for (int u = s.first(); u <= s.last(); u++) {
                units.add(u);
            }
        }
        List<Partition> one = steady.isEmpty() ? List.of() : List.of(new Partition(units, steady));
        return List.of(new UploadPlan("local", List.of(), EarlyQueryPolicy.LOCAL),
                new UploadPlan("all-at-once", one, EarlyQueryPolicy.LOCAL),
                new UploadPlan("one-shot", one, EarlyQueryPolicy.WAIT_FOR_FIRST));
    }

    static double localMs(CostProfile profile) {
        double local = profile.clientOnlyMs();
        for (UnitCost unit : profile.units()) {
            local += unit.clientMs();
        }
        return local;
    }
}
