package org.layerlift.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.ServiceLoader;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;

/** What the benchmarks share: strategies by name, and the CPU-vs-wall timing of repeated plans. */
final class PlanTimer {

    /** Median and minimum of one case's plans (ms), and how many partitions its plan has. */
    record Timing(double cpuMedianMs, double cpuMinMs, double wallMedianMs, double wallMinMs, int partitions) {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int warmup;
    private final int measured;

    PlanTimer(int warmup, int measured) {
        if (warmup < 0 || measured < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and measured >= 1 plans: " + warmup + ", " + measured);
        }
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        this.warmup = warmup;
        this.measured = measured;
    }

    /** Plans the request {@code warmup} times (JIT), then times {@code measured} plans in CPU and wall time. */
    Timing time(PartitionStrategy strategy, PlanRequest request) {
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
        return new Timing(median(cpu), min(cpu), median(wall), min(wall), partitions);
    }

    /** The strategy of that name registered with {@link ServiceLoader}. */
    static PartitionStrategy strategy(String name) {
        StringBuilder known = new StringBuilder();
        for (PartitionStrategy candidate : ServiceLoader.load(PartitionStrategy.class)) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
            known.append(known.length() == 0 ? "" : ", ").append(candidate.name());
        }
        throw new IllegalArgumentException("no strategy named '" + name + "' on the class path; known: " + known);
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
