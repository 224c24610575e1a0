package org.layerlift.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.model.units.GraphUnit;

/** The node-level profiles the benchmark plans (surefire runs in bench/, so the graphs are in ../testdata). */
class NodeLevelProfilesTest {

    private static final Path MODELS = Path.of("..", "testdata", "models");

    private static List<GraphUnit> units(String model) {
        return NodeLevelProfiles.nodeUnits(MODELS.resolve(model + ".onnx"));
    }

    @ParameterizedTest
    @CsvSource({"densenet121, 375, 5.708", "vit_b_16, 616, 35.273"})
    void timesFollowTheFlopModelAndBytesTheGraph(String model, int count, double gflops) {
        List<GraphUnit> units = units(model);
        CostProfile profile = NodeLevelProfiles.of(model, units);
        assertEquals(model, profile.model());
        assertEquals(count, profile.units().size());
        double client = 0;
        double server = 0;
        for (int i = 0; i < count; i++) {
            UnitCost c = profile.units().get(i);
            GraphUnit u = units.get(i);
            assertEquals(u.weightBytes(), c.weightBytes());
            assertEquals(u.inputBytes(), c.inputBytes());
            assertEquals(u.outputBytes(), c.outputBytes());
            assertEquals(u.flops() / 5e6 + 0.02, c.clientMs(), 1e-9);
            assertEquals(c.weightBytes() == 0 ? 0 : 0.2 + 0.3 * c.weightBytes() / 1e6, c.loadMs(), 1e-9);
            assertTrue(c.serverMs() < c.clientMs(), c.name());
            client += c.clientMs();
            server += c.serverMs();
        }
        // the whole model on a 5 GFLOP/s client, on a 100 GFLOP/s server, plus per-node overheads
        assertEquals(gflops * 1e3 / 5 + count * 0.02, client, 1);
        assertEquals(gflops * 1e3 / 100 + count * 0.005, server, 0.1);
    }

    @ParameterizedTest
    @CsvSource({"ionn", "efficiency", "frontier"})
    void everyBenchmarkedStrategyPlansTheNodeLevelChain(String strategy) {
        CostProfile profile = NodeLevelProfiles.of("densenet121", units("densenet121"));
        UploadPlan plan = PlanTimer.strategy(strategy).plan(new PlanRequest(profile, 10, Set.of()));
        assertTrue(!plan.partitions().isEmpty(), strategy);
    }

    @Test
    void aMissingFolderSaysHowToRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeLevelProfiles.nodeUnits(Path.of("no-such-folder", "densenet121.onnx")));
        assertTrue(e.getMessage().contains("repository root"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlanTimer.strategy("no-such-strategy"));
    }
}
