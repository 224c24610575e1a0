package org.layerlift.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Average time one strategy takes to plan the upload of a 1,000-unit random chain. Strategies are looked up by
 * name with {@link ServiceLoader}: to benchmark another one, add its jar to bench/pom.xml and its name to
 * {@code strategy} below (or pass {@code -p strategy=name} on the command line).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlanBenchmark {

    @Param({"ionn", "efficiency", "frontier"})
    public String strategy;

    @Param({"10", "80"})
    public double bandwidthMbps;

    @Param({"1000"})
    public int units;

    @Param({"42"})
    public long seed;

    private PartitionStrategy planner;
    private PlanRequest request;

    @Setup
    public void setUp() {
        planner = PlanTimer.strategy(strategy);
        CostProfile profile = RandomChain.of(seed, units);
        request = new PlanRequest(profile, bandwidthMbps, Set.of());
    }

    @Benchmark
    public UploadPlan plan() {
        return planner.plan(request);
    }
}
