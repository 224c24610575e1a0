package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.protocol.Messages;

/** What the client takes from a plan about the gateway's builds: its ETAs and its prediction follow them. */
class PlanLoadsTest {

    /** Four units, 5 ms to load and 1 ms to run each on the gateway; the segment grows by one unit a partition. */
    static Messages.Plan growing(double segmentBuildMs) {
        List<Messages.PlanUnit> units = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            units.add(new Messages.PlanUnit(u, "u" + u, null, 1000, false, 10, 1, 5, 1000, 1000));
        }
        List<Messages.PlanPartition> parts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parts.add(new Messages.PlanPartition(i, List.of(i), List.of(new Messages.SegmentRef(0, i)), 1000, 0, 0,
                    false));
        }
        return new Messages.Plan("s", "m", 1, "test", "ROUTE_BY_ETA", 8, 1 << 20, 4000, 0, 40, 0, segmentBuildMs,
                units, parts);
    }

    @Test
    void eachNewSegmentIsBuiltFromAllItsUnitsPlusWhatABuildCostsBeyondThem() {
        double[] client = RouterTest.CLIENT;
        // segment (0..i): (i + 1) units of 5 + 1 ms, plus the plan's 30 ms per build
        assertArrayEquals(new double[] {36, 42, 48, 54}, SessionImpl.partitionLoadsMs(growing(30), client), 1e-9);
        assertArrayEquals(new double[] {6, 12, 18, 24}, SessionImpl.partitionLoadsMs(growing(0), client), 1e-9);
    }

    @Test
    void aBuildCostThatIsNotSaneCountsAsNone() {
        assertEquals(0, SessionImpl.segmentBuildMs(growing(Double.NaN)));
        assertEquals(0, SessionImpl.segmentBuildMs(growing(-5)));
        assertEquals(0, SessionImpl.segmentBuildMs(growing(Double.POSITIVE_INFINITY)));
        assertEquals(12.5, SessionImpl.segmentBuildMs(growing(12.5)));
        assertArrayEquals(new double[] {6, 12, 18, 24}, SessionImpl.partitionLoadsMs(growing(-5), RouterTest.CLIENT),
                1e-9);
    }
}
