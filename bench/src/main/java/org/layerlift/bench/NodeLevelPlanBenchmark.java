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
 * Average time one strategy takes to plan the upload of a real model at node level: one ONNX node per unit
 * (densenet121 and vit_b_16 from {@code testdata/models}), costs from {@link NodeLevelProfiles} (bytes from the
 * graph, times modelled from FLOPs). Run from the repository root (the graphs are read from
 * {@code testdata/models}, or from {@code -Dlayerlift.models=...} passed with {@code -jvmArgsAppend}):
 *
 * <pre>java -jar bench/target/benchmarks.jar NodeLevelPlanBenchmark -f 1 -wi 5 -i 10</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class NodeLevelPlanBenchmark {

    @Param({"ionn", "efficiency", "frontier"})
    public String strategy;

    @Param({"densenet121", "vit_b_16"})
    public String model;

    @Param({"10", "80"})
    public double bandwidth;

    private PartitionStrategy planner;
    private PlanRequest request;

    @Setup
    public void setUp() {
        planner = PlanTimer.strategy(strategy);
        CostProfile profile = NodeLevelProfiles.of(model);
        request = new PlanRequest(profile, bandwidth, Set.of());
    }

    @Benchmark
    public UploadPlan plan() {
        return planner.plan(request);
    }
}
