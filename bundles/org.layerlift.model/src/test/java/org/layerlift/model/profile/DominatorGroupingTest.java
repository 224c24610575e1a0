package org.layerlift.model.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

class DominatorGroupingTest {

    static CostProfile load(String model) {
        try (InputStream in = DominatorGroupingTest.class.getResourceAsStream("/" + model + ".json")) {
            return DominatorGrouping.group(MeasurementSetReader.read(in, model));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void alexnetHasThirteenUnitsNamedAfterTheirDominators() {
        CostProfile alexnet = load("alexnet");
        assertEquals("alexnet", alexnet.model());
        assertEquals(List.of("conv1", "norm1", "pool1", "conv2", "norm2", "pool2", "conv3", "conv4", "conv5", "pool5",
                "fc6", "fc7", "fc8"), alexnet.units().stream().map(UnitCost::name).toList());
        UnitCost norm1 = alexnet.units().get(1);
        assertEquals(List.of("relu1", "norm1"), norm1.layers());
        assertEquals(1161600, norm1.inputBytes(), "the in-place ReLU reads conv1's output");
        assertEquals(1161600, norm1.outputBytes());
        assertEquals((float) 35.954 + (float) 2.5688, norm1.clientMs(), 0);
        UnitCost fc7 = alexnet.units().get(11);
        assertEquals(List.of("relu6", "drop6", "fc7"), fc7.layers());
        assertEquals(67125248, fc7.weightBytes());
    }

    @Test
    void googlenetHasTwentyUnitsWithInceptionModulesWhole() {
        CostProfile googlenet = load("googlenet");
        assertEquals(20, googlenet.units().size());
        assertEquals("conv1/7x7_s2", googlenet.units().get(0).name());
        assertEquals("loss3/classifier", googlenet.units().get(19).name());
        UnitCost inception3a = googlenet.units().stream().filter(u -> u.name().equals("inception_3a/output"))
                .findFirst().orElseThrow();
        assertTrue(inception3a.layers().contains("inception_3a/5x5"));
        assertEquals(602112, inception3a.inputBytes(), "reads one top of pool2's split");
        long total = googlenet.units().stream().mapToLong(UnitCost::weightBytes).sum();
        assertTrue(total > 27_000_000 && total < 28_000_000, "GoogLeNet weighs about 27.9 MB, got " + total);
    }
}
