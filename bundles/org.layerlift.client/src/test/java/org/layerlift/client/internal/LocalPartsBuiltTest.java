package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.partition.Segment;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.model.surgery.CutPlan;

/**
 * Which routes have their client parts built ({@link LocalParts#built}), and what building the rest would take
 * ({@link LocalParts#buildEstimateMs}): the query path prices a route with its build before it takes it.
 */
class LocalPartsBuiltTest {

    @TempDir
    Path dir;

    @Test
    void aRouteIsBuiltOnlyOnceEveryClientPartOfItIs() throws Exception {
        Path model = TestModels.materialized(dir, "squeezenet1_1", 7L);
        try (ClientModel m = ClientModel.load(model, "dominator");
                LocalParts local = new LocalParts(m, DeviceEmulation.none(), 1)) {
            int last = m.units.size() - 1;
            CutPlan whole = m.cut(List.of());
            CutPlan middle = m.cut(List.of(new Segment(2, 4)));
            CutPlan prefix = m.cut(List.of(new Segment(0, 3)));
            CutPlan all = m.cut(List.of(new Segment(0, last)));
            assertFalse(local.built(whole));
            assertFalse(local.built(middle));
            assertTrue(local.built(all), "a route with no client part needs nothing built");

            local.warm(whole);
            assertTrue(local.built(whole));
            assertFalse(local.built(middle), "its client parts (0..1 and 5..) are other sessions");
            assertFalse(local.built(prefix));

            local.warm(prefix);
            assertTrue(local.built(prefix));
            assertFalse(local.built(middle), "its parts (0..1 and 5..) are neither of those");
            local.warm(middle);
            assertTrue(local.built(middle));
            assertEquals(0, local.buildEstimateMs(middle));
        }
    }

    @Test
    void aRouteNotBuiltIsPricedWithItsBuildAndOneThatCannotBeBuiltIsNeverTaken() throws Exception {
        Path model = TestModels.materialized(dir, "squeezenet1_1", 8L);
        try (ClientModel m = ClientModel.load(model, "dominator");
                LocalParts local = new LocalParts(m, DeviceEmulation.none(), 1)) {
            CutPlan whole = m.cut(List.of());
            CutPlan suffix = m.cut(List.of(new Segment(0, 3)));
            double before = local.buildEstimateMs(whole);
            assertTrue(before > 0 && Double.isFinite(before), "estimated " + before);
            assertTrue(local.buildEstimateMs(suffix) < before, "fewer weights, less to build");
            local.warm(whole);
            assertEquals(0, local.buildEstimateMs(whole));
            assertTrue(local.buildEstimateMs(suffix) > 0);
            local.failedToBuild(suffix);
            assertEquals(Double.POSITIVE_INFINITY, local.buildEstimateMs(suffix));
        }
    }
}
