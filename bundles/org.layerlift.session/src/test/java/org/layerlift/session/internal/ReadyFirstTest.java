package org.layerlift.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

class ReadyFirstTest {

    /** Four units, each 100 ms on the client and 1 ms on the server; activations of 12.5 kB (2.5 ms at 40 Mbps). */
    private static CostProfile profile(long activationBytes) {
        List<UnitCost> units = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            units.add(new UnitCost("u" + i, 100, 1, 10_000_000, 5, activationBytes, activationBytes,
                    List.of("l" + i)));
        }
        return new CostProfile("m", units, 0);
    }

    /** What a strategy planning the held units as free may answer: every partition needs a unit not sent yet. */
    private static final UploadPlan NEEDS_MORE = new UploadPlan("s", List.of(
            new Partition(List.of(2), List.of(new Segment(0, 2))),
            new Partition(List.of(3), List.of(new Segment(0, 3)))), EarlyQueryPolicy.LOCAL);

    @Test
    void theBestRouteOverTheHeldUnitsGoesFirst() {
        UploadPlan p = ReadyFirst.apply(NEEDS_MORE, profile(12_500), 40, Set.of(0, 1), List.of());
        assertEquals(new Partition(List.of(), List.of(new Segment(0, 1))), p.partitions().get(0));
        assertEquals(NEEDS_MORE.partitions(), p.partitions().subList(1, 3));
        assertEquals("s", p.strategy());
        assertEquals(EarlyQueryPolicy.LOCAL, p.earlyQueries());
    }

    @Test
    void thePreviousPlansReadyRouteGoesFirstAndABetterOneAfterIt() {
        List<Segment> readyBefore = List.of(new Segment(0, 0));
        UploadPlan p = ReadyFirst.apply(NEEDS_MORE, profile(12_500), 40, Set.of(0, 1), List.of(List.of(),
                readyBefore));
        assertEquals(new Partition(List.of(), readyBefore), p.partitions().get(0), "built: ready at once");
        assertEquals(new Partition(List.of(), List.of(new Segment(0, 1))), p.partitions().get(1));
        assertEquals(4, p.partitions().size());
        // when the previous route is already the best, it goes in once
        UploadPlan q = ReadyFirst.apply(NEEDS_MORE, profile(12_500), 40, Set.of(0, 1),
                List.of(List.of(new Segment(0, 1))));
        assertEquals(3, q.partitions().size());
        assertEquals(new Partition(List.of(), List.of(new Segment(0, 1))), q.partitions().get(0));
    }

    @Test
    void aPlanWithARouteReadyAsGoodIsLeftAlone() {
        UploadPlan ready = new UploadPlan("s", List.of(new Partition(List.of(), List.of(new Segment(0, 1))),
                new Partition(List.of(2, 3), List.of(new Segment(0, 3)))), EarlyQueryPolicy.LOCAL);
        assertSame(ready, ReadyFirst.apply(ready, profile(12_500), 40, Set.of(0, 1), List.of()));
        // held units listed in a partition count as ready too
        UploadPlan listed = new UploadPlan("s", List.of(new Partition(List.of(0, 1), List.of(new Segment(0, 1))),
                new Partition(List.of(2, 3), List.of(new Segment(0, 3)))), EarlyQueryPolicy.LOCAL);
        assertSame(listed, ReadyFirst.apply(listed, profile(12_500), 40, Set.of(0, 1), List.of()));
    }

    @Test
    void nothingHeldOrNothingBetterThanLocalLeavesThePlanAlone() {
        assertSame(NEEDS_MORE, ReadyFirst.apply(NEEDS_MORE, profile(12_500), 40, Set.of(), List.of()));
        // 50 MB activations: 10 s each way, far slower than 400 ms locally
        assertSame(NEEDS_MORE, ReadyFirst.apply(NEEDS_MORE, profile(50_000_000), 40, Set.of(0, 1),
                List.of(List.of(new Segment(0, 1)))));
    }

    @Test
    void aPreviousRouteOverUnitsNoLongerHeldIsNotKept() {
        UploadPlan p = ReadyFirst.apply(NEEDS_MORE, profile(12_500), 40, Set.of(0),
                List.of(List.of(new Segment(0, 1))));
        assertEquals(new Partition(List.of(), List.of(new Segment(0, 0))), p.partitions().get(0));
        assertEquals(3, p.partitions().size());
    }
}
