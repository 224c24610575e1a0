package org.layerlift.client.internal;

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
 * A route is usable only once its client parts are built ({@link LocalParts#built}): the query path asks this before
 * it takes a route, so a query never waits for ONNX Runtime to build a part.
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
        }
    }
}
