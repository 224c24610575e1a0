package org.layerlift.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;

/**
 * A companion to {@link PlanBenchmark} for a shared, busy machine: the planning thread's CPU time per plan, which other
 * processes barely change, next to its wall time, which they do. After warm-up plans (JIT), each case plans the same
 * 1,000-unit chain repeatedly and prints the median and minimum of both.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.layerlift.bench.PlanCpuTime [warmup plans] [measured plans] [names...]</pre>
 */
public final class PlanCpuTime {

    private PlanCpuTime() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? positive(args[0], "warm-up plans") : 50;
        int measured = args.length > 1 ? positive(args[1], "measured plans") : 50;
        List<String> names = args.length > 2 ? List.of(Arrays.copyOfRange(args, 2, args.length))
                : List.of("ionn", "efficiency", "frontier");
        PlanTimer timer = new PlanTimer(warmup, measured);
        CostProfile chain = RandomChain.of(42, 1000);
        System.out.printf(Locale.ROOT, "%-12s %5s %10s %10s %10s %10s  (%d warm-up, %d measured plans)%n",
                "strategy", "Mbps", "cpu med", "cpu min", "wall med", "wall min", warmup, measured);
        for (String name : names) {
            PartitionStrategy strategy = PlanTimer.strategy(name);
            for (double mbps : new double[] {10, 80}) {
                PlanTimer.Timing t = timer.time(strategy, new PlanRequest(chain, mbps, Set.of()));
                System.out.printf(Locale.ROOT, "%-12s %5.0f %8.2fms %8.2fms %8.2fms %8.2fms  %d partitions%n", name,
                        mbps, t.cpuMedianMs(), t.cpuMinMs(), t.wallMedianMs(), t.wallMinMs(), t.partitions());
            }
        }
    }

    private static int positive(String value, String what) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a positive whole number: " + value);
    }
}
