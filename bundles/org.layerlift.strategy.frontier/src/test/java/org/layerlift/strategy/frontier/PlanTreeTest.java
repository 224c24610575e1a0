package org.layerlift.strategy.frontier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;

/** The incremental plan tree against the O(n) dynamic program and a unit-by-unit replay of one query. */
class PlanTreeTest {

    @Test
    void matchesTheDynamicProgramAfterEveryUnit() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            int units = 1 + random.nextInt(seed % 4 == 0 ? 300 : 40);
            CostProfile profile = FrontierStrategyTest.randomChain(seed, units);
            Set<Integer> onServer = new HashSet<>();
            if (seed % 3 == 0) {
                for (int u = 0; u < units; u++) {
                    if (random.nextInt(5) == 0) {
                        onServer.add(u);
                    }
                }
            }
            Chain chain = new Chain(profile, 1 + random.nextDouble() * 200, onServer);
            PlanTree tree = new PlanTree(chain);
            List<Integer> order = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                if (!onServer.contains(u)) {
                    order.add(u);
                }
            }
            for (int round = 0; round < 2; round++) {
                Collections.shuffle(order, random);
                tree.reset();
                boolean[] available = chain.onServer.clone();
                double[] ready = new double[units];
                check(chain, tree, available, ready, "seed " + seed + " start");
                double clock = 0;
                for (int j = 0; j < order.size(); j++) {
                    int u = order.get(j);
                    clock += random.nextDouble() * 50;
                    available[u] = true;
                    ready[u] = clock;
                    tree.add(u, clock);
                    // refresh sometimes only: several units change between two recoveries
                    if (random.nextInt(3) == 0 || j == order.size() - 1) {
                        check(chain, tree, available, ready, "seed " + seed + " after " + (j + 1) + " units");
                    } else {
                        Chain.Plan best = chain.best(available);
                        assertEquals(best.latencyMs(), tree.value(), 1e-9 * best.latencyMs(), "seed " + seed);
                    }
                }
            }
        }
    }

    private static void check(Chain chain, PlanTree tree, boolean[] available, double[] ready, String what) {
        Chain.Plan best = chain.best(available);
        assertEquals(best.latencyMs(), tree.value(), 1e-9 * best.latencyMs(), what);
        tree.refresh(null);
        boolean[] mask = tree.mask();
        assertArrayEquals(best.server(chain.n), mask, what);
        assertEquals(best.segments().length == 0, tree.allClient(), what);
        for (double start : new double[] {0, 10, 100, 1000, 5000}) {
            double expected = replay(chain, best.segments(), ready, start);
            double actual = tree.value() + Math.max(0, tree.delay() - start);
            assertEquals(expected, actual, 1e-9 * expected, what + ", query at " + start);
        }
    }

    /** One query started at t with this plan, unit by unit: each server segment waits for all its weights. */
    private static double replay(Chain chain, int[] segments, double[] ready, double start) {
        double time = start + chain.clientOnlyMs;
        int next = 0;
        for (int k = 0; k < segments.length; k += 2) {
            for (int u = next; u < segments[k]; u++) {
                time += chain.tc[u];
            }
            time += chain.inMs[segments[k]];
            for (int u = segments[k]; u <= segments[k + 1]; u++) {
                time = Math.max(time, chain.onServer[u] ? 0 : ready[u]);
            }
            for (int u = segments[k]; u <= segments[k + 1]; u++) {
                time += chain.ts[u];
            }
            time += chain.outMs[segments[k + 1]];
            next = segments[k + 1] + 1;
        }
        for (int u = next; u < chain.n; u++) {
            time += chain.tc[u];
        }
        return time - start;
    }

    @Test
    void segmentsAndMasksAgree() {
        boolean[] mask = {true, true, false, true, false, false, true};
        assertArrayEquals(new int[] {0, 1, 3, 3, 6, 6}, Chain.Plan.segmentsOf(mask));
        assertArrayEquals(mask, new Chain.Plan(Chain.Plan.segmentsOf(mask), 0).server(mask.length));
        assertEquals(0, Chain.Plan.segmentsOf(new boolean[3]).length);
        assertTrue(new Chain.Plan(new int[0], 0).segmentList().isEmpty());
    }
}
