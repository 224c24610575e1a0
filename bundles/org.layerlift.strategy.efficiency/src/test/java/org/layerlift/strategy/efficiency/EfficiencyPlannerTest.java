package org.layerlift.strategy.efficiency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
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
import org.layerlift.planning.Segments;
import org.layerlift.planning.UnitChain;

class EfficiencyPlannerTest {

    static CostProfile load(String model) {
        try (InputStream in = EfficiencyPlannerTest.class.getResourceAsStream("/" + model + ".json")) {
            return DominatorGrouping.group(MeasurementSetReader.read(in, model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Coarse integer costs make exact score ties common; zero weights give infinite scores. */
    static CostProfile randomChain(long seed, int units, boolean coarse) {
        Random random = new Random(seed);
        List<UnitCost> list = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            double client = coarse ? random.nextInt(5) * 10 : random.nextDouble() * 100;
            double server = coarse ? random.nextInt(2) : random.nextDouble() * 3;
            long weights = random.nextInt(4) == 0 ? 0 : coarse ? random.nextInt(3) * 125_000L
                    : (long) (random.nextDouble() * 4_000_000);
            double load = weights == 0 ? 0 : coarse ? random.nextInt(2) : random.nextDouble() * 3;
            long in = coarse ? random.nextInt(3) * 62_500L : (long) (random.nextDouble() * 600_000);
            long out = coarse ? random.nextInt(3) * 62_500L : (long) (random.nextDouble() * 600_000);
            list.add(new UnitCost("u" + i, client, server, weights, load, in, out, List.of("layer" + i)));
        }
        return new CostProfile("random-" + seed, list);
    }

    @Test
    void fastPlannerAgreesWithTheStraightforwardOneOnRandomChains() {
        int compared = 0;
        for (long seed = 0; seed < 600; seed++) {
            CostProfile profile = randomChain(seed, 2 + (int) (seed % 30), seed % 3 == 0);
            UnitChain chain = UnitChain.of(profile, 5 + seed % 200);
            List<Segment> fast = new EfficiencyPlanner(chain).commits();
            List<Segment> slow = new StraightforwardEfficiencyPlanner(chain).commits();
            assertEquals(slow, fast, "seed " + seed);
            compared += fast.size();
        }
        assertTrue(compared > 1000, "the random chains should make many commits, made " + compared);
    }

    @Test
    void fastPlannerAgreesOnTheSharedMeasurementSets() {
        for (String model : List.of("alexnet", "googlenet")) {
            for (double mbps : new double[] {5, 10, 20, 33, 40, 80, 160, 500}) {
                UnitChain chain = UnitChain.of(load(model), mbps);
                assertEquals(new StraightforwardEfficiencyPlanner(chain).commits(),
                        new EfficiencyPlanner(chain).commits(), model + " @ " + mbps);
            }
        }
    }

    @Test
    void partitionsAreTheCommitsAndPlansAccumulate() {
        CostProfile alexnet = load("alexnet");
        UploadPlan plan = new EfficiencyStrategy().plan(new PlanRequest(alexnet, 10, Set.of()));
        assertEquals(EarlyQueryPolicy.WAIT_FOR_FIRST, plan.earlyQueries());
        assertEquals("efficiency", plan.strategy());
        // conv3..pool5, conv2..pool2, fc6, fc7, fc8 (REFERENCE.md)
        assertEquals(List.of(List.of(6, 7, 8, 9), List.of(3, 4, 5), List.of(10), List.of(11), List.of(12)),
                plan.partitions().stream().map(Partition::units).toList());
        TreeSet<Integer> offloaded = new TreeSet<>();
        for (Partition partition : plan.partitions()) {
            offloaded.addAll(partition.units());
            assertEquals(Segments.of(offloaded), partition.serverSegments());
        }
    }

    @Test
    void unitsAlreadyOnTheServerAreNotUploadedAgain() {
        CostProfile alexnet = load("alexnet");
        UploadPlan plan = new EfficiencyStrategy().plan(new PlanRequest(alexnet, 10, Set.of(10)));
        assertTrue(plan.partitions().stream().noneMatch(p -> p.units().contains(10)));
        assertTrue(plan.partitions().get(plan.partitions().size() - 1).serverSegments().stream()
                .anyMatch(s -> s.first() <= 10 && s.last() >= 10));
    }

    /* Planning speed is a benchmark (bench/, docs/benchmarks.md); these only guard against hangs and bad plans. */

    @Test
    void aThousandUnitChainGivesAValidPlan() {
        CostProfile profile = randomChain(42, 1000, false);
        UploadPlan plan = assertTimeoutPreemptively(HANG, () -> new EfficiencyStrategy().plan(
                new PlanRequest(profile, 20, Set.of())));
        assertValid(plan, 1000);
    }

    @Test
    void worstCaseShapeGivesAValidPlan() {
        // one long target segment of identical units: every candidate ties and merges grow one unit at a time
        List<UnitCost> units = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            units.add(new UnitCost("u" + i, 50, 0.1, 100_000, 0.5, 200_000, 200_000, List.of("l" + i)));
        }
        PlanRequest request = new PlanRequest(new CostProfile("flat", units), 100, Set.of());
        UploadPlan plan = assertTimeoutPreemptively(HANG, () -> new EfficiencyStrategy().plan(request));
        assertValid(plan, 1000);
        assertFalse(plan.partitions().isEmpty(), "a 500x faster server must be worth offloading to");
    }

    private static final Duration HANG = Duration.ofSeconds(60);

    /** Partitions upload each unit at most once, and every plan runs only units uploaded by then. */
    private static void assertValid(UploadPlan plan, int units) {
        Set<Integer> uploaded = new HashSet<>();
        for (Partition partition : plan.partitions()) {
            for (int unit : partition.units()) {
                assertTrue(unit >= 0 && unit < units, "unit " + unit);
                assertTrue(uploaded.add(unit), "unit " + unit + " uploaded twice");
            }
            for (Segment segment : partition.serverSegments()) {
                for (int unit = segment.first(); unit <= segment.last(); unit++) {
                    assertTrue(uploaded.contains(unit), "plan runs unit " + unit + " before it is uploaded");
                }
            }
        }
    }

    @Test
    void badRequestsFailClearly() {
        CostProfile alexnet = load("alexnet");
        EfficiencyStrategy strategy = new EfficiencyStrategy();
        assertThrows(IllegalArgumentException.class, () -> strategy.plan(new PlanRequest(alexnet, 0, Set.of())));
        assertThrows(IllegalArgumentException.class, () -> strategy.plan(new PlanRequest(alexnet, -10, Set.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitCost("bad", 1, Double.NaN, 1, 1, 1, 1, List.of("l")));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
    }

    @Test
    void nothingWorthOffloadingGivesNoPartitions() {
        UnitCost slowServer = new UnitCost("u", 1, 50, 1000, 1, 10_000, 10_000, List.of("l"));
        UploadPlan plan = new EfficiencyStrategy().plan(new PlanRequest(new CostProfile("m",
                List.of(slowServer, slowServer)), 10, Set.of()));
        assertEquals(List.of(), plan.partitions());
    }
}
