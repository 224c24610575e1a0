package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.protocol.Messages;

class RouterTest {

    /** Four units of 10 ms on the client, 1 ms on the server, 1000-byte activations; partitions as given. */
    static Messages.Plan plan(String early, List<List<Messages.SegmentRef>> partitions) {
        List<Messages.PlanUnit> units = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            units.add(new Messages.PlanUnit(u, "u" + u, null, 0, false, 10, 1, 0, 1000, 1000));
        }
        List<Messages.PlanPartition> parts = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            parts.add(new Messages.PlanPartition(i, List.of(i), partitions.get(i), 0, 0, 0, false));
        }
        return new Messages.Plan("s", "m", 1, "test", early, 8, 1 << 20, 0, 0, 40, 0, 0, units, parts);
    }

    static final double[] CLIENT = {10, 10, 10, 10};

    @Test
    void localWhenNothingIsReadyOrTheGatewayIsAway() {
        Router r = new Router(plan("LOCAL", List.of(List.of(new Messages.SegmentRef(2, 3)))), CLIENT, 0);
        assertEquals(40, r.localMs(), 1e-9);
        Router.Route route = r.choose(new BitSet(), new double[] {5}, 1000, true);
        assertTrue(route.local());
        BitSet ready = new BitSet();
        ready.set(0);
        assertTrue(r.choose(ready, new double[] {0}, 1000, false).local(), "disconnected: local");
    }

    @Test
    void aReadyPartitionThatPaysIsTaken() {
        Router r = new Router(plan("LOCAL", List.of(List.of(new Messages.SegmentRef(2, 3)),
                List.of(new Messages.SegmentRef(0, 3)))), CLIENT, 0);
        BitSet ready = new BitSet();
        ready.set(0);
        // units 0,1 local (20) + 1 ms up + 2 ms server + 1 ms down = 24
        Router.Route route = r.choose(ready, new double[] {0, 1e9}, 1000, true);
        assertEquals(0, route.partition());
        assertEquals(24, route.predictedMs(), 1e-9);
        ready.set(1);
        assertEquals(1, r.choose(ready, new double[] {0, 0}, 1000, true).partition());
    }

    @Test
    void aRouteWhoseClientPartsAreNotBuiltPaysForTheBuild() {
        Router r = new Router(plan("ROUTE_BY_ETA", List.of(List.of(new Messages.SegmentRef(2, 3)))), CLIENT, 0);
        BitSet ready = new BitSet();
        ready.set(0);
        double[] none = {0};
        // 24 ms routed + 10 ms to build its client part = 34 < 40: built, then taken
        Router.Route route = r.choose(ready, none, none, new double[] {10}, 1000, true, false);
        assertEquals(0, route.partition());
        assertEquals(34, route.predictedMs(), 1e-9);
        // a build of 20 ms makes it slower than local; one that cannot be made is never taken
        assertTrue(r.choose(ready, none, none, new double[] {20}, 1000, true, false).local());
        assertTrue(r.choose(ready, none, none, new double[] {Double.POSITIVE_INFINITY}, 1000, true, false).local());
        assertTrue(r.choose(ready, none, none, new double[] {Double.NaN}, 1000, true, false).local());
        // arriving in 25 ms: the 20 ms prefix runs after a 5 ms build, so the hop waits nothing more:
        // 5 + 20 + 1 + 2 + 1 = 29
        Router.Route arriving = r.choose(new BitSet(), new double[] {25}, none, new double[] {5}, 1000, true, false);
        assertEquals(0, arriving.partition());
        assertEquals(29, arriving.predictedMs(), 1e-9);
        assertEquals(0, arriving.waitMs(), 1e-9);
    }

    @Test
    void neverARouteSlowerThanLocal() {
        // a slow link: 1000 bytes up and down at 10 bytes/ms = 200 ms > 40 ms local
        Router r = new Router(plan("ROUTE_BY_ETA", List.of(List.of(new Messages.SegmentRef(0, 3)))), CLIENT, 0);
        BitSet ready = new BitSet();
        ready.set(0);
        assertTrue(r.choose(ready, new double[] {0}, 10, true).local());
    }

    @Test
    void waitsForAnArrivingPartitionOnlyWhenRoutingByEstimateAndItPays() {
        List<List<Messages.SegmentRef>> parts = List.of(List.of(new Messages.SegmentRef(0, 3)));
        Router eta = new Router(plan("ROUTE_BY_ETA", parts), CLIENT, 0);
        // ready in 10 ms: 10 + 1 + 4 + 1 = 16 < 40
        Router.Route route = eta.choose(new BitSet(), new double[] {10}, 1000, true);
        assertEquals(0, route.partition());
        assertEquals(10, route.waitMs(), 1e-9);
        assertEquals(16, route.predictedMs(), 1e-9);
        // ready in 100 ms: local is faster
        assertTrue(eta.choose(new BitSet(), new double[] {100}, 1000, true).local());
        // unknown estimate: never waited for
        assertTrue(eta.choose(new BitSet(), new double[] {Double.POSITIVE_INFINITY}, 1000, true).local());
        // the IONN policy never waits
        Router ionn = new Router(plan("LOCAL", parts), CLIENT, 0);
        assertTrue(ionn.choose(new BitSet(), new double[] {10}, 1000, true).local());
    }

    @Test
    void prefixIsTheClientTimeBeforeTheFirstSegment() {
        Router r = new Router(plan("LOCAL", List.of(List.of(new Messages.SegmentRef(2, 3)))), CLIENT, 5);
        assertEquals(25, r.prefixMs(List.of(new Messages.SegmentRef(2, 3))), 1e-9);
        assertEquals(45, r.prefixMs(List.of()), 1e-9);
    }

    @Test
    void everyHopPaysTheOverheadAndMoreWhileTheUploadSends() {
        List<List<Messages.SegmentRef>> two = List.of(List.of(new Messages.SegmentRef(0, 0),
                new Messages.SegmentRef(2, 3)));
        Router plain = new Router(plan("LOCAL", two), CLIENT, 0);
        Router r = new Router(plan("LOCAL", two), CLIENT, 0, new Router.HopOverhead(3, 10));
        List<Messages.SegmentRef> segments = two.get(0);
        assertEquals(plain.latencyMs(segments, 1000) + 2 * 3, r.latencyMs(segments, 1000, false), 1e-9);
        assertEquals(plain.latencyMs(segments, 1000) + 2 * 13, r.latencyMs(segments, 1000, true), 1e-9);
        assertEquals(plain.hopMs(segments.get(1), 1000) + 13, r.hopMs(segments.get(1), 1000, true), 1e-9);
        // a route that beats local by less than its overhead is left
        BitSet ready = new BitSet();
        ready.set(0);
        double gain = plain.localMs() - plain.latencyMs(segments, 1000);
        Router costly = new Router(plan("LOCAL", two), CLIENT, 0, new Router.HopOverhead(gain, 0));
        assertTrue(!plain.choose(ready, new double[1], 1000, true).local() || gain <= 0);
        assertTrue(costly.choose(ready, new double[1], new double[1], 1000, true, false).local());
        assertThrows(IllegalArgumentException.class, () -> new Router.HopOverhead(-1, 0));
    }
}
