package org.layerlift.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;

/**
 * A companion to {@link NodeLevelPlanBenchmark} for a shared, busy machine: per case the planning thread's CPU time
 * per plan (which other processes barely change) next to its wall time (which they do), median and minimum over the
 * measured plans, after warm-up plans for the JIT. Run from the repository root:
 *
 * <pre>java -cp bench/target/benchmarks.jar org.layerlift.bench.NodeLevelPlanCpuTime [warmup] [measured] [strategies...]</pre>
 */
public final class NodeLevelPlanCpuTime {

    private NodeLevelPlanCpuTime() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<String> names = args.length > 2 ? List.of(Arrays.copyOfRange(args, 2, args.length))
                : List.of("ionn", "efficiency", "frontier");
        PlanTimer timer = new PlanTimer(warmup, measured);
        System.out.printf(Locale.ROOT, "%-12s %-11s %5s %5s %9s %9s %9s %9s %s%n", "strategy", "model", "units",
                "Mbps", "cpu med", "cpu min", "wall med", "wall min", "partitions");
        for (String model : List.of("densenet121", "vit_b_16")) {
            CostProfile profile = NodeLevelProfiles.of(model);
            for (String name : names) {
                PartitionStrategy strategy = PlanTimer.strategy(name);
                for (double mbps : new double[] {10, 80}) {
                    PlanTimer.Timing t = timer.time(strategy, new PlanRequest(profile, mbps, Set.of()));
                    System.out.printf(Locale.ROOT, "%-12s %-11s %5d %5.0f %7.2fms %7.2fms %7.2fms %7.2fms %d%n", name,
                            model, profile.units().size(), mbps, t.cpuMedianMs(), t.cpuMinMs(), t.wallMedianMs(),
                            t.wallMinMs(), t.partitions());
                }
            }
        }
    }
}
