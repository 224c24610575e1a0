package org.layerlift.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;

class RandomChainTest {

    @Test
    void sameSeedSameChain() {
        assertEquals(RandomChain.of(7, 50), RandomChain.of(7, 50));
        assertTrue(!RandomChain.of(7, 50).equals(RandomChain.of(8, 50)));
    }

    @Test
    void magnitudesAreTheDocumentedOnes() {
        CostProfile chain = RandomChain.of(42, 1000);
        List<UnitCost> units = chain.units();
        assertEquals(1000, units.size());
        int withoutWeights = 0;
        for (int i = 0; i < units.size(); i++) {
            UnitCost u = units.get(i);
            assertTrue(u.clientMs() >= 1 && u.clientMs() <= 50, u.toString());
            assertTrue(u.serverMs() >= u.clientMs() / 20 && u.serverMs() <= u.clientMs() * 0.15, u.toString());
            assertTrue(u.weightBytes() >= 0 && u.weightBytes() <= 10 * RandomChain.MB, u.toString());
            assertTrue(u.outputBytes() >= 10 * RandomChain.KB && u.outputBytes() <= 2 * RandomChain.MB, u.toString());
            assertEquals(i == 0 ? RandomChain.MODEL_INPUT_BYTES : units.get(i - 1).outputBytes(), u.inputBytes());
            withoutWeights += u.weightBytes() == 0 ? 1 : 0;
        }
        assertTrue(withoutWeights > 150 && withoutWeights < 350, "about a quarter without weights: " + withoutWeights);
        assertThrows(IllegalArgumentException.class, () -> RandomChain.of(1, 0));
    }

    @Test
    void benchmarkedStrategiesAreFoundByNameAndPlanTheChain() throws NoSuchFieldException {
        // every name in PlanBenchmark's @Param list must be on the class path (a missing pom dependency fails here)
        List<String> names = List.of(PlanBenchmark.class.getField("strategy")
                .getAnnotation(org.openjdk.jmh.annotations.Param.class).value());
        assertEquals(List.of("ionn", "efficiency", "frontier"), names);
        for (String name : names) {
            UploadPlan plan = PlanTimer.strategy(name)
                    .plan(new PlanRequest(RandomChain.of(42, 200), 80, Set.of()));
            assertEquals(name, plan.strategy());
            assertTrue(!plan.partitions().isEmpty(), name);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlanTimer.strategy("nope"));
        assertTrue(e.getMessage().contains("ionn") && e.getMessage().contains("efficiency")
                && e.getMessage().contains("frontier"), e.getMessage());
    }
}
