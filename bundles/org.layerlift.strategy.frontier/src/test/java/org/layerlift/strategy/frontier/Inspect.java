package org.layerlift.strategy.frontier;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.simulator.PartitionTiming;
import org.layerlift.simulator.QueryRecord;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;
import org.layerlift.strategy.efficiency.EfficiencyStrategy;

/** Prints one case's partitions and queries for frontier, efficiency and the bound. Args: model mbps. */
public final class Inspect {

    private Inspect() {
    }

    public static void main(String[] args) {
        CostProfile profile = Profiles.load(args[0]);
        double mbps = Double.parseDouble(args[1]);
        PlanRequest request = new PlanRequest(profile, mbps, Set.of());
        List<SimulationResult> r = Simulator.compareWithBound(profile, List.of(new EfficiencyStrategy().plan(request),
                new FrontierStrategy().plan(request)), mbps, SimulationOptions.reference());
        for (SimulationResult s : r) {
            System.out.printf(Locale.ROOT, "== %s mean %.1f tavg %.1f%n", s.strategy(), s.meanLatencyCommonWindowMs(),
                    s.timeAveragedLatencyMs());
            for (PartitionTiming p : s.partitions()) {
                System.out.printf(Locale.ROOT, "  part %s %.2f MB ready %.1f ms%n", p.units(), p.bytes() / 1e6,
                        p.readyMs());
            }
            int k = 0;
            for (QueryRecord q : s.queries()) {
                if (k++ < 40) {
                    System.out.printf(Locale.ROOT, "  q %.1f lat %.1f plan %d%n", q.startMs(), q.latencyMs(), q.plan());
                }
            }
        }
    }
}
