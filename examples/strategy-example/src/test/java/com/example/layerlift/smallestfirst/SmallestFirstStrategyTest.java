package com.example.layerlift.smallestfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

/** The strategy on small cost profiles, called directly: no framework, no gateway. */
class SmallestFirstStrategyTest {

    /** 8 Mbps = 1,000 bytes per ms, so bytes read as ms of link time. */
    private static final double MBPS = 8;

    private static UnitCost unit(String name, double clientMs, double serverMs, long weights, long in, long out) {
        return new UnitCost(name, clientMs, serverMs, weights, 0, in, out, List.of(name));
    }

    /**
     * Local: 10 + 40 + 40 + 5 = 95 ms. Fastest with everything on the server: b..c there (1 up, 2 + 2, 1 down),
     * 21 ms; a's input (50 ms up) and d's output (100 ms down) keep them on the client.
     */
    private static final CostProfile FOUR = new CostProfile("four", List.of(
            unit("a", 10, 1, 3000, 50_000, 1000),
            unit("b", 40, 2, 2000, 1000, 1000),
            unit("c", 40, 2, 1000, 1000, 1000),
            unit("d", 5, 1, 500, 1000, 100_000)));

    private final SmallestFirstStrategy strategy = new SmallestFirstStrategy();

    @Test
    public void theFastestPlansUnitsGoLightestFirstOnePerPartition() {
        UploadPlan plan = strategy.plan(new PlanRequest(FOUR, MBPS, Set.of()));

        assertEquals("smallest-first", plan.strategy());
        assertEquals(EarlyQueryPolicy.LOCAL, plan.earlyQueries());
        // c (1000 B) before b (2000 B); d is lighter still but no fast plan runs it on the server, so it is not sent
        assertEquals(List.of(
                new Partition(List.of(2), List.of(new Segment(2, 2))),     // 10 + 40 + (1 + 2 + 1) + 5 = 59 ms
                new Partition(List.of(1), List.of(new Segment(1, 2)))),    // 21 ms
                plan.partitions());
        assertEquals(59, latencyMs(FOUR, plan.partitions().get(0).serverSegments()), 1e-9);
        assertEquals(21, latencyMs(FOUR, plan.partitions().get(1).serverSegments()), 1e-9);
    }

    @Test
    public void unitsTheServerHoldsAreNotSentAndAnEmptyFirstPartitionUsesThem() {
        UploadPlan plan = strategy.plan(new PlanRequest(FOUR, MBPS, Set.of(2)));

        assertEquals(List.of(
                new Partition(List.of(), List.of(new Segment(2, 2))),
                new Partition(List.of(1), List.of(new Segment(1, 2)))),
                plan.partitions());
    }

    @Test
    public void whenLocalIsFastestNothingIsSent() {
        // at 0.08 Mbps (10 bytes per ms) every activation costs more than running the whole model locally
        UploadPlan plan = strategy.plan(new PlanRequest(FOUR, 0.08, Set.of()));

        assertEquals(List.of(), plan.partitions());
    }

    /** On random chains: the plan is valid, it only gets faster, and the last plan is the fastest there is. */
    @Test
    public void plansAreValidAndEndOnTheFastestPlan() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(9);
            List<UnitCost> units = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                units.add(unit("u" + i, random.nextInt(60), random.nextInt(10), random.nextInt(5000),
                        random.nextInt(30_000), random.nextInt(30_000)));
            }
            CostProfile profile = new CostProfile("random-" + round, units);
            Set<Integer> held = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (random.nextInt(4) == 0) {
                    held.add(i);
                }
            }
            UploadPlan plan = strategy.plan(new PlanRequest(profile, MBPS, held));

            Set<Integer> there = new HashSet<>(held);
            double latency = latencyMs(profile, List.of());
            for (Partition p : plan.partitions()) {
                assertTrue(p.units().size() <= 1, "one unit per partition: " + p);
                for (int u : p.units()) {
                    assertTrue(there.add(u), "unit " + u + " sent once, and only if not held: " + plan);
                }
                int end = -1;
                for (Segment s : p.serverSegments()) {
                    assertTrue(s.first() > end && s.last() < n, "segments ascending, disjoint, in range: " + p);
                    end = s.last();
                    for (int u = s.first(); u <= s.last(); u++) {
                        assertTrue(there.contains(u), "unit " + u + " runs on the server only once there: " + plan);
                    }
                }
                double next = latencyMs(profile, p.serverSegments());
                assertTrue(next <= latency + 1e-9, "never slower than before: " + plan);
                latency = next;
            }
            assertEquals(bruteForceFastestMs(profile), latency, 1e-9, "the last plan is the fastest: " + plan);
        }
    }

    /** The gateway's latency model, straight from its definition. */
    private static double latencyMs(CostProfile profile, List<Segment> segments) {
        double bytesPerMs = MBPS * 125;
        List<UnitCost> units = profile.units();
        double ms = profile.clientOnlyMs();
        boolean[] server = new boolean[units.size()];
        for (Segment s : segments) {
            ms += units.get(s.first()).inputBytes() / bytesPerMs + units.get(s.last()).outputBytes() / bytesPerMs;
            for (int u = s.first(); u <= s.last(); u++) {
                server[u] = true;
            }
        }
        for (int u = 0; u < units.size(); u++) {
            ms += server[u] ? units.get(u).serverMs() : units.get(u).clientMs();
        }
        return ms;
    }

    /** Every subset of units on the server, as maximal runs. */
    private static double bruteForceFastestMs(CostProfile profile) {
        int n = profile.units().size();
        double best = Double.POSITIVE_INFINITY;
        for (int mask = 0; mask < 1 << n; mask++) {
            List<Segment> segments = new ArrayList<>();
            for (int u = 0; u < n; u++) {
                if ((mask >> u & 1) == 1) {
                    int first = u;
                    while (u + 1 < n && (mask >> (u + 1) & 1) == 1) {
                        u++;
                    }
                    segments.add(new Segment(first, u));
                }
            }
            best = Math.min(best, latencyMs(profile, segments));
        }
        return best;
    }
}
