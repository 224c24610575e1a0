package org.layerlift.strategy.ionn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.model.profile.DominatorGrouping;
import org.layerlift.model.profile.MeasurementSetReader;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.UnitChain;

class IonnStrategyTest {

    static CostProfile load(String model) {
        try (InputStream in = IonnStrategyTest.class.getResourceAsStream("/" + model + ".json")) {
            return DominatorGrouping.group(MeasurementSetReader.read(in, model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Float> penalties(String model, double mbps) {
        ExecutionGraph graph = new ExecutionGraph(UnitChain.of(load(model), mbps));
        return new IonnStrategy().steps(graph).stream().map(IonnStrategy.Step::penalty).toList();
    }

    private static void assertPenalties(List<Double> expected, List<Float> actual) {
        assertEquals(expected.size(), actual.size(), "plans " + actual);
        for (int i = 0; i < expected.size(); i++) {
            // REFERENCE.md prints three significant digits
            assertEquals(expected.get(i), actual.get(i), expected.get(i) * 0.01, "penalty of plan " + i);
        }
    }

    @Test
    void plansAppearAtTheReferencePenalties() {
        assertPenalties(List.of(0.018, 0.00155), penalties("alexnet", 10));
        assertPenalties(List.of(1.0, 0.262, 0.0115), penalties("alexnet", 80));
        assertPenalties(List.of(1.0, 0.64, 0.168, 0.055, 0.0059), penalties("googlenet", 40));
    }

    @Test
    void alexnetAt10MbpsUploadsConvolutionsThenClassifier() {
        UploadPlan plan = new IonnStrategy().plan(new PlanRequest(load("alexnet"), 10, Set.of()));
        assertEquals("ionn", plan.strategy());
        assertEquals(EarlyQueryPolicy.LOCAL, plan.earlyQueries());
        assertEquals(List.of(List.of(3, 4, 5, 6, 7, 8, 9), List.of(10, 11, 12)),
                plan.partitions().stream().map(Partition::units).toList());
        assertEquals(List.of(new Segment(3, 12)), plan.partitions().get(1).serverSegments());
    }

    @Test
    void unitsOnTheServerAreNotUploadedAgain() {
        UploadPlan plan = new IonnStrategy().plan(new PlanRequest(load("alexnet"), 10, Set.of(10, 11)));
        assertTrue(plan.partitions().stream().noneMatch(p -> p.units().contains(10) || p.units().contains(11)));
    }

    @Test
    void kMustLieStrictlyBetweenZeroAndOne() {
        for (double k : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new IonnStrategy(k), "K = " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new IonnStrategy(0.99999999));
        assertEquals(0.5, new IonnStrategy(0.5).k(), 1e-7);
    }

    @Test
    void smallerKRevealsFewerIntermediatePlans() {
        CostProfile googlenet = load("googlenet");
        int coarse = new IonnStrategy(0.3).plan(new PlanRequest(googlenet, 40, Set.of())).partitions().size();
        int fine = new IonnStrategy(0.95).plan(new PlanRequest(googlenet, 40, Set.of())).partitions().size();
        assertTrue(coarse <= fine, coarse + " vs " + fine);
    }

    @Test
    void badRequestsFailClearly() {
        CostProfile alexnet = load("alexnet");
        IonnStrategy ionn = new IonnStrategy();
        assertThrows(IllegalArgumentException.class, () -> ionn.plan(new PlanRequest(alexnet, 0, Set.of())));
        assertThrows(IllegalArgumentException.class,
                () -> ionn.plan(new PlanRequest(alexnet, Double.POSITIVE_INFINITY, Set.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitCost("minus", -1, 1, 1, 1, 1, 1, List.of("l")));
        assertTrue(e.getMessage().contains("minus"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ionn.plan(new PlanRequest(alexnet, 10, Set.of(99))));
    }
}
