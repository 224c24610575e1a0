package org.layerlift.strategy.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.model.profile.DominatorGrouping;
import org.layerlift.model.profile.MeasurementSetReader;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.Segments;
import org.layerlift.planning.UnitChain;

class BaselineStrategiesTest {

    private static final double[] BANDWIDTHS = {1, 10, 40, 80, 1000};

    static CostProfile load(String model) {
        try (InputStream in = BaselineStrategiesTest.class.getResourceAsStream("/" + model + ".json")) {
            return DominatorGrouping.group(MeasurementSetReader.read(in, model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float latencyMs(CostProfile profile, double mbps, List<Segment> plan) {
        return new ExecutionGraph(UnitChain.of(profile, mbps)).pathLengthMs(plan, 0f);
    }

    private static long uploadBytes(CostProfile profile, UploadPlan plan) {
        return plan.partitions().stream().flatMap(p -> p.units().stream())
                .mapToLong(u -> profile.units().get(u).weightBytes()).sum();
    }

    /** Every plan of up to two contiguous server segments, and every plan at all for chains of up to 16 units. */
    private static List<List<Segment>> candidatePlans(int units) {
        List<List<Segment>> plans = new ArrayList<>();
        if (units <= 16) {
            for (int mask = 0; mask < 1 << units; mask++) {
                SortedSet<Integer> set = new TreeSet<>();
                for (int u = 0; u < units; u++) {
                    if ((mask & 1 << u) != 0) {
                        set.add(u);
                    }
                }
                plans.add(Segments.of(set));
            }
            return plans;
        }
        plans.add(List.of());
        for (int a = 0; a < units; a++) {
            for (int b = a; b < units; b++) {
                plans.add(List.of(new Segment(a, b)));
                for (int c = b + 2; c < units; c++) {
                    for (int d = c; d < units; d++) {
                        plans.add(List.of(new Segment(a, b), new Segment(c, d)));
                    }
                }
            }
        }
        return plans;
    }

    @Test
    void localUploadsNothing() {
        for (String model : List.of("alexnet", "googlenet")) {
            UploadPlan plan = new LocalStrategy().plan(new PlanRequest(load(model), 10, Set.of()));
            assertEquals("local", plan.strategy());
            assertEquals(List.of(), plan.partitions());
            assertEquals(EarlyQueryPolicy.LOCAL, plan.earlyQueries());
        }
    }

    @Test
    void allAtOnceUploadsEveryUnitInOnePartitionAndThenRunsTheFastestPlan() {
        for (String model : List.of("alexnet", "googlenet")) {
            CostProfile profile = load(model);
            int n = profile.units().size();
            List<List<Segment>> candidates = candidatePlans(n);
            for (double mbps : BANDWIDTHS) {
                UploadPlan plan = new AllAtOnceStrategy().plan(new PlanRequest(profile, mbps, Set.of()));
                assertEquals("all-at-once", plan.strategy());
                assertEquals(EarlyQueryPolicy.LOCAL, plan.earlyQueries());
                assertEquals(1, plan.partitions().size(), model + " @" + mbps);
                Partition only = plan.partitions().get(0);
                List<Integer> all = new ArrayList<>();
                for (int u = 0; u < n; u++) {
                    all.add(u);
                }
                assertEquals(all, only.units());
                float best = latencyMs(profile, mbps, only.serverSegments());
                for (List<Segment> other : candidates) {
                    float length = latencyMs(profile, mbps, other);
                    assertTrue(best <= length * (1 + 1e-6f), model + " @" + mbps + " Mbps: " + only.serverSegments()
                            + " takes " + best + " ms but " + other + " takes " + length + " ms");
                }
            }
        }
    }

    @Test
    void oneShotUploadsExactlyTheFastestPlansUnits() {
        for (String model : List.of("alexnet", "googlenet")) {
            CostProfile profile = load(model);
            for (double mbps : BANDWIDTHS) {
                PlanRequest request = new PlanRequest(profile, mbps, Set.of());
                UploadPlan oneShot = new OneShotStrategy().plan(request);
                UploadPlan allAtOnce = new AllAtOnceStrategy().plan(request);
                assertEquals("one-shot", oneShot.strategy());
                assertEquals(EarlyQueryPolicy.LOCAL, oneShot.earlyQueries());
                List<Segment> best = allAtOnce.partitions().get(0).serverSegments();
                if (best.isEmpty()) {
                    assertEquals(List.of(), oneShot.partitions(), model + " @" + mbps);
                    continue;
                }
                assertEquals(1, oneShot.partitions().size());
                Partition only = oneShot.partitions().get(0);
                assertEquals(best, only.serverSegments(), model + " @" + mbps);
                assertEquals(List.copyOf(Segments.units(best)), only.units());
                assertTrue(uploadBytes(profile, oneShot) <= uploadBytes(profile, allAtOnce));
            }
        }
    }

    @Test
    void oneShotOnAlexnetAt10MbpsIsIonnsFinalPlan() {
        // IONN's last plan (penalty 0) on AlexNet at 10 Mbps offloads units 3..12 (IonnStrategyTest)
        UploadPlan plan = new OneShotStrategy().plan(new PlanRequest(load("alexnet"), 10, Set.of()));
        assertEquals(List.of(new Segment(3, 12)), plan.partitions().get(0).serverSegments());
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12), plan.partitions().get(0).units());
        // and it leaves out the first units, whose upload buys nothing
        long all = uploadBytes(load("alexnet"),
                new AllAtOnceStrategy().plan(new PlanRequest(load("alexnet"), 10, Set.of())));
        assertTrue(uploadBytes(load("alexnet"), plan) < all);
    }

    @Test
    void aLinkTooSlowForAnyOffloadMakesOneShotLocal() {
        CostProfile alexnet = load("alexnet");
        UploadPlan plan = new OneShotStrategy().plan(new PlanRequest(alexnet, 0.001, Set.of()));
        assertEquals(List.of(), plan.partitions());
        assertEquals(List.of(), new AllAtOnceStrategy().plan(new PlanRequest(alexnet, 0.001, Set.of()))
                .partitions().get(0).serverSegments());
    }

    @Test
    void unitsAlreadyOnTheServerAreNotUploadedAgain() {
        CostProfile alexnet = load("alexnet");
        Set<Integer> there = Set.of(0, 10, 11);
        for (PartitionStrategy s : List.of(new AllAtOnceStrategy(), new OneShotStrategy())) {
            UploadPlan plan = s.plan(new PlanRequest(alexnet, 10, there));
            for (Partition p : plan.partitions()) {
                assertTrue(p.units().stream().noneMatch(there::contains), s.name() + ": " + p.units());
                // every unit a server segment runs is uploaded by the plan or already there
                for (int u : Segments.units(p.serverSegments())) {
                    assertTrue(p.units().contains(u) || there.contains(u), s.name() + " runs unit " + u);
                }
            }
        }
    }

    @Test
    void badRequestsFailClearlyBeforeAnyStrategyRuns() {
        CostProfile alexnet = load("alexnet");
        for (double mbps : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PlanRequest(alexnet, mbps, Set.of()));
            assertTrue(e.getMessage().contains("bandwidth"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(alexnet, 10, Set.of(99)));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new UnitCost("conv1", Double.NaN, 1, 1, 1, 1, 1, List.of("conv1")));
        assertTrue(nan.getMessage().contains("conv1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new UnitCost("conv1", 1, -2, 1, 1, 1, 1, List.of("conv1")));
    }

    @Test
    void aCommandLineToolFindsAllThreeThroughServiceLoader() {
        SortedSet<String> names = new TreeSet<>();
        for (PartitionStrategy s : ServiceLoader.load(PartitionStrategy.class)) {
            names.add(s.name());
        }
        assertEquals(new TreeSet<>(List.of("local", "all-at-once", "one-shot")), names);
    }
}
