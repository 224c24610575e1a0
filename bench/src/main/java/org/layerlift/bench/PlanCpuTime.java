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
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        CostProfile chain = RandomChain.of(42, 1000);
        System.out.printf(Locale.ROOT, "%-12s %5s %10s %10s %10s %10s  (%d warm-up, %d measured plans)%n",
                "strategy", "Mbps", "cpu med", "cpu min", "wall med", "wall min", warmup, measured);
        for (String name : names) {
            PartitionStrategy strategy = PlanBenchmark.strategy(name);
            for (double mbps : new double[] {10, 80}) {
                PlanRequest request = new PlanRequest(chain, mbps, Set.of());
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
                System.out.printf(Locale.ROOT, "%-12s %5.0f %8.2fms %8.2fms %8.2fms %8.2fms  %d partitions%n", name,
                        mbps, median(cpu), min(cpu), median(wall), min(wall), partitions);
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
