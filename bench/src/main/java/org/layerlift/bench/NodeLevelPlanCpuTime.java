package org.layerlift.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
        if (warmup < 0 || measured < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and measured >= 1 plans: " + warmup + ", " + measured);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        System.out.printf(Locale.ROOT, "%-12s %-11s %5s %5s %9s %9s %9s %9s %s%n", "strategy", "model", "units",
                "Mbps", "cpu med", "cpu min", "wall med", "wall min", "partitions");
        for (String model : List.of("densenet121", "vit_b_16")) {
            CostProfile profile = NodeLevelProfiles.of(model);
            for (String name : names) {
                PartitionStrategy strategy = NodeLevelPlanBenchmark.strategy(name);
                for (double mbps : new double[] {10, 80}) {
                    PlanRequest request = new PlanRequest(profile, mbps, Set.of());
                    int partitions = 0;
                    for (int i = 0; i < warmup; i++) {
                        partitions = strategy.plan(request).partitions().size();
                    }
                    double[] cpu = new double[measured];
                    double[] wall = new double[measured];
                    for (int i = 0; i < measured; i++) {
                        long c0 = threads.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        partitions = strategy.plan(request).partitions().size();
                        wall[i] = (System.nanoTime() - w0) / 1e6;
                        cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    }
                    System.out.printf(Locale.ROOT, "%-12s %-11s %5d %5.0f %7.2fms %7.2fms %7.2fms %7.2fms %d%n", name,
                            model, profile.units().size(), mbps, median(cpu), min(cpu), median(wall), min(wall),
                            partitions);
                }
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
