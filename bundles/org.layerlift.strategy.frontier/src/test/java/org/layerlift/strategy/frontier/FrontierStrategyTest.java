package org.layerlift.strategy.frontier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;

class FrontierStrategyTest {

    private static final List<Comparison> CASES = new ArrayList<>();

    static synchronized List<Comparison> cases() {
        if (CASES.isEmpty()) {
            for (String model : List.of("alexnet", "googlenet")) {
                CostProfile profile = Profiles.load(model);
                for (double mbps : Comparison.BANDWIDTHS) {
                    CASES.add(Comparison.of(profile, mbps));
                }
            }
        }
        return CASES;
    }

    static Stream<Arguments> eachCase() {
        return cases().stream().map(c -> Arguments.of(c.profile().model() + " @ " + c.mbps() + " Mbps", c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachCase")
    void beatsIonnAndEfficiencyAndNeverLosesToLocal(String name, Comparison c) {
        SimulationResult ours = c.frontier();
        double minMean = Math.min(c.ionn().meanLatencyCommonWindowMs(), c.efficiency().meanLatencyCommonWindowMs());
        double minArea = Math.min(c.ionn().timeAveragedLatencyMs(), c.efficiency().timeAveragedLatencyMs());
        assertTrue(ours.meanLatencyCommonWindowMs() <= minMean,
                name + ": mean " + ours.meanLatencyCommonWindowMs() + " > " + minMean);
        assertTrue(ours.timeAveragedLatencyMs() <= minArea,
                name + ": time-averaged " + ours.timeAveragedLatencyMs() + " > " + minArea);
        assertTrue(ours.worstQueryOverLocal() <= 1.0, name + ": worst / local " + ours.worstQueryOverLocal());
        assertEquals(c.ionn().commonWindowMs(), ours.commonWindowMs(), 0, "one window for all");
        // the bound is a bound
        assertTrue(c.bound().meanLatencyCommonWindowMs() <= ours.meanLatencyCommonWindowMs(), name);
        assertTrue(c.bound().timeAveragedLatencyMs() <= ours.timeAveragedLatencyMs(), name);
        assertTrue(c.bound().firstQueryLatencyMs() <= ours.firstQueryLatencyMs() + 1e-9, name);
        // steady state: the last query runs the fastest plan, as IONN's does
        double lastOurs = ours.queries().get(ours.queries().size() - 1).latencyMs();
        double lastIonn = c.ionn().queries().get(c.ionn().queries().size() - 1).latencyMs();
        assertTrue(lastOurs <= lastIonn + 1e-6, name + ": steady state " + lastOurs + " vs IONN " + lastIonn);
    }

    @Test
    void geometricMeanAtLeastFivePercentBelowEfficiency() {
        double logMean = 0;
        double logArea = 0;
        for (Comparison c : cases()) {
            logMean += Math.log(c.frontier().meanLatencyCommonWindowMs() / c.efficiency().meanLatencyCommonWindowMs());
            logArea += Math.log(c.frontier().timeAveragedLatencyMs() / c.efficiency().timeAveragedLatencyMs());
        }
        double mean = Math.exp(logMean / cases().size());
        double area = Math.exp(logArea / cases().size());
        assertTrue(mean <= 0.95, "geometric mean of the common-window mean ratio: " + mean);
        assertTrue(area <= 0.95, "geometric mean of the time-averaged ratio: " + area);
    }

    @Test
    void randomChainsGiveValidPlansNeverSlowerThanLocal() {
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            int units = 1 + random.nextInt(40);
            CostProfile profile = randomChain(seed, units);
            Set<Integer> onServer = new HashSet<>();
            if (seed % 3 == 0) {
                for (int u = 0; u < units; u++) {
                    if (random.nextInt(5) == 0) {
                        onServer.add(u);
                    }
                }
            }
            double mbps = 1 + random.nextDouble() * 200;
            UploadPlan plan = new FrontierStrategy().plan(new PlanRequest(profile, mbps, onServer));
            assertEquals(EarlyQueryPolicy.ROUTE_BY_ETA, plan.earlyQueries());
            assertEquals(FrontierStrategy.NAME, plan.strategy());
            Set<Integer> uploaded = new HashSet<>(onServer);
            for (Partition partition : plan.partitions()) {
                for (int unit : partition.units()) {
                    assertFalse(onServer.contains(unit), "seed " + seed + ": re-uploads unit " + unit);
                    assertTrue(uploaded.add(unit), "seed " + seed + ": unit " + unit + " in two partitions");
                }
                int previousLast = -1;
                for (Segment segment : partition.serverSegments()) {
                    assertTrue(segment.first() > previousLast, "seed " + seed + ": segments out of order");
                    previousLast = segment.last();
                    for (int u = segment.first(); u <= segment.last(); u++) {
                        assertTrue(uploaded.contains(u), "seed " + seed + ": plan runs unit " + u + " before upload");
                    }
                }
            }
            SimulationOptions options = SimulationOptions.reference().withUnitsOnServer(onServer);
            SimulationResult result = Simulator.simulate(profile, plan, mbps, options, 0);
            assertTrue(result.worstQueryOverLocal() <= 1.0 + 1e-12, "seed " + seed + ": " + result.worstQueryOverLocal());
            SimulationResult shared = Simulator.simulate(profile, plan, mbps, options.withSharedLink(true), 0);
            assertTrue(shared.worstQueryOverLocal() <= 1.0 + 1e-12, "seed " + seed + ", shared link");
            SimulationResult bound = Simulator.compareWithBound(profile, List.of(plan), mbps, options).get(1);
            assertTrue(bound.timeAveragedLatencyMs() <= result.timeAveragedLatencyMs() * (1 + 1e-9), "seed " + seed);
            assertTrue(bound.meanLatencyCommonWindowMs() <= result.meanLatencyCommonWindowMs() * (1 + 1e-9),
                    "seed " + seed);
        }
    }

    @Test
    void aSingleUnit() {
        CostProfile one = new CostProfile("one",
                List.of(new UnitCost("u", 100, 10, 1_000_000, 1, 10_000, 10_000, List.of("a"))), 2);
        UploadPlan plan = new FrontierStrategy().plan(new PlanRequest(one, 10, Set.of()));
        assertEquals(List.of(new Partition(List.of(0), List.of(new Segment(0, 0)))), plan.partitions());
        SimulationResult result = Simulator.simulate(one, plan, 10, SimulationOptions.reference(), 2000);
        assertEquals(1.0, result.worstQueryOverLocal(), 1e-12);
        assertEquals(28, result.queries().get(result.queries().size() - 1).latencyMs(), 1e-9);
    }

    @Test
    void unitsTheServerRunsSlowerAreNeverUploaded() {
        CostProfile slow = new CostProfile("slow", List.of(
                new UnitCost("a", 10, 50, 1_000, 0, 1_000, 1_000, List.of("a")),
                new UnitCost("b", 100, 1, 1_000, 0, 1_000, 1_000, List.of("b")),
                new UnitCost("c", 10, 500, 1_000, 0, 1_000, 1_000, List.of("c"))));
        UploadPlan plan = new FrontierStrategy().plan(new PlanRequest(slow, 10, Set.of()));
        assertEquals(List.of(new Partition(List.of(1), List.of(new Segment(1, 1)))), plan.partitions());
        CostProfile never = new CostProfile("never", List.of(
                new UnitCost("a", 10, 50, 1_000, 0, 1_000, 1_000, List.of("a"))));
        UploadPlan none = new FrontierStrategy().plan(new PlanRequest(never, 10, Set.of()));
        assertTrue(none.partitions().isEmpty());
        assertEquals(1.0, Simulator.simulate(never, none, 10).worstQueryOverLocal(), 1e-12);
    }

    @Test
    void unitsAlreadyOnTheServerAreUsedAtOnceAndNotSentAgain() {
        CostProfile two = new CostProfile("two", List.of(
                new UnitCost("a", 100, 1, 1_000_000, 0, 1_000, 1_000, List.of("a")),
                new UnitCost("b", 100, 1, 1_000_000, 0, 1_000, 1_000, List.of("b"))));
        UploadPlan plan = new FrontierStrategy().plan(new PlanRequest(two, 10, Set.of(0)));
        assertEquals(List.of(new Partition(List.of(), List.of(new Segment(0, 0))),
                new Partition(List.of(1), List.of(new Segment(0, 1)))), plan.partitions());
        SimulationResult result = Simulator.simulate(two, plan, 10,
                SimulationOptions.reference().withUnitsOnServer(Set.of(0)), 0);
        // unit a on the server from the start: 0.8 ms out, 1 ms there, 0.8 ms back, 100 ms for b locally
        assertEquals(102.6, result.firstQueryLatencyMs(), 1e-9);
        UploadPlan all = new FrontierStrategy().plan(new PlanRequest(two, 10, Set.of(0, 1)));
        assertEquals(List.of(new Partition(List.of(), List.of(new Segment(0, 1)))), all.partitions());
    }

    @Test
    void badRequestsFailClearly() {
        CostProfile one = new CostProfile("one", List.of(new UnitCost("u", 1, 1, 1, 0, 1, 1, List.of("a"))));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(one, 0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(one, -5, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(one, Double.NaN, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(one, 10, Set.of(3)));
        assertThrows(IllegalArgumentException.class,
                () -> new UnitCost("u", Double.NaN, 1, 1, 0, 1, 1, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> new UnitCost("u", 1, -1, 1, 0, 1, 1, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> new CostProfile("empty", List.of()));
        // free units everywhere: a plan still comes back, and it is not slower than local
        CostProfile free = new CostProfile("free", List.of(new UnitCost("u", 0, 0, 0, 0, 0, 0, List.of("a"))));
        UploadPlan plan = new FrontierStrategy().plan(new PlanRequest(free, 10, Set.of()));
        assertTrue(plan.partitions().size() <= 1);
    }

    @Test
    void foundByNameThroughTheServiceLoader() {
        List<String> names = new ArrayList<>();
        for (PartitionStrategy strategy : ServiceLoader.load(PartitionStrategy.class)) {
            names.add(strategy.name());
        }
        assertTrue(names.contains(FrontierStrategy.NAME), names.toString());
        assertEquals(FrontierStrategy.NAME, new FrontierStrategyComponent().name());
    }

    /** Planning speed is a JMH benchmark (bench/, docs/benchmarks.md); here only a hang guard and the plan's worth. */
    @Test
    void plansAThousandUnitChain() {
        CostProfile profile = randomChain(42, 1000);
        PlanRequest request = new PlanRequest(profile, 40, Set.of());
        UploadPlan plan = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new FrontierStrategy().plan(request));
        assertFalse(plan.partitions().isEmpty());
        assertTrue(Simulator.simulate(profile, plan, 40).worstQueryOverLocal() <= 1.0);
    }

    @Test
    void theSameRequestGivesTheSamePlanEveryTimeAndOnConcurrentThreads() throws Exception {
        for (double mbps : new double[] {10, 80}) {
            PlanRequest request = new PlanRequest(randomChain(42, 1000), mbps, Set.of());
            UploadPlan first = new FrontierStrategy().plan(request);
            FrontierStrategy shared = new FrontierStrategy();
            assertEquals(first, shared.plan(request), mbps + " Mbps: second plan differs");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<UploadPlan>> plans = new ArrayList<>();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int thread = 0; thread < 2; thread++) {
                    plans.add(pool.submit(() -> {
                        go.await();
                        return shared.plan(request);
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<UploadPlan> plan : plans) {
                    assertEquals(first, plan.get(), mbps + " Mbps: a concurrent plan differs");
                }
            } finally {
                pool.shutdownNow();
            }
            // and the search did more than return a candidate: the plan beats local on this chain
            assertTrue(first.partitions().size() > 100, "partitions: " + first.partitions().size());
        }
    }

    /** Costs in the spirit of planning's RandomChains: some units without weights, some the server runs slower. */
    static CostProfile randomChain(long seed, int units) {
        Random random = new Random(seed);
        List<UnitCost> list = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            double client = random.nextDouble() * 100;
            double server = random.nextInt(6) == 0 ? client * (1 + random.nextDouble()) : random.nextDouble() * 2;
            long weights = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 5_000_000);
            double load = weights == 0 ? 0 : random.nextDouble() * 3;
            long in = (long) (random.nextDouble() * 1_000_000);
            long out = (long) (random.nextDouble() * 1_000_000);
            list.add(new UnitCost("u" + i, client, server, weights, load, in, out, List.of("layer" + i)));
        }
        return new CostProfile("random-" + seed, list, random.nextDouble() * 20);
    }
}
