package org.layerlift.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

class SimulatorTest {

    // one unit: 100 ms locally, 10 ms on the server, 1 MB of weights (800 ms at 10 Mbps), 1 ms to load, 10 kB in/out (8 ms each way)
    private static final CostProfile ONE = new CostProfile("one",
            List.of(new UnitCost("u", 100, 10, 1_000_000, 1, 10_000, 10_000, List.of("a", "b"))), 2);
    private static final Partition ALL = new Partition(List.of(0), List.of(new Segment(0, 0)));

    @Test
    void localQueriesUntilTheFirstPartitionIsReady() {
        SimulationResult result = Simulator.simulate(ONE, new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL),
                10);
        assertEquals(801, result.uploadDoneMs(), 1e-9);
        assertEquals(102, result.firstQueryLatencyMs(), 1e-9);
        assertEquals(8, result.queriesDuringUpload()); // starts 0, 102, ..., 714
        assertEquals(102, result.meanLatencyDuringUploadMs(), 1e-9);
        assertEquals(List.of("a", "b"), result.partitions().get(0).layers());
        assertEquals(1_000_000, result.partitions().get(0).bytes());
        assertEquals(1.0, result.worstQueryOverLocal(), 1e-12);
    }

    @Test
    void waitingForTheFirstPartitionDelaysTheFirstQuery() {
        SimulationResult result = Simulator.simulate(ONE,
                new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.WAIT_FOR_FIRST), 10);
        // 2 ms client-only, the input arrives at 10 ms, the server waits until 801, runs 10, returns in 8
        assertEquals(801 + 10 + 8, result.firstQueryLatencyMs(), 1e-9);
        assertTrue(result.worstQueryOverLocal() > 8);
        assertEquals(1, result.queriesDuringUpload());
    }

    @Test
    void routingByEtaNeverLosesToLocal() {
        SimulationResult result = Simulator.simulate(ONE,
                new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.ROUTE_BY_ETA), 10);
        assertTrue(result.worstQueryOverLocal() <= 1.0);
    }

    @Test
    void theClientsRoutingRunsLocallyInsteadOfWaitingForTheFirstPartition() {
        SimulationOptions client = SimulationOptions.reference().withClientRouting(true);
        SimulationResult result = Simulator.simulate(ONE,
                new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.WAIT_FOR_FIRST), 10, client, 2000);
        // the papers' rule waits 819 ms (above); the client runs locally until the partition is ready
        assertEquals(102, result.firstQueryLatencyMs(), 1e-9);
        assertEquals(8, result.queriesDuringUpload());
        assertTrue(result.worstQueryOverLocal() <= 1.0);
        // once ready, the server route (2 + 8 + 10 + 8 = 28 ms) beats local
        QueryRecord after = result.queries().stream().filter(q -> q.startMs() >= 801).findFirst().orElseThrow();
        assertEquals(28, after.latencyMs(), 1e-9);
        assertEquals(0, after.plan());
    }

    @Test
    void theClientsRoutingKeepsLocalWhenAReadyRouteIsSlower() {
        // 10 MB of activations each way at 10 Mbps: 8 s per hop, far slower than 102 ms locally
        CostProfile heavy = new CostProfile("heavy",
                List.of(new UnitCost("u", 100, 10, 1_000, 1, 10_000_000, 10_000_000, List.of("a"))), 2);
        UploadPlan plan = new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL);
        SimulationResult papers = Simulator.simulate(heavy, plan, 10, SimulationOptions.reference(), 5000);
        SimulationResult client = Simulator.simulate(heavy, plan, 10,
                SimulationOptions.reference().withClientRouting(true), 5000);
        assertTrue(papers.worstQueryOverLocal() > 10, "the papers' rule takes the newest ready partition");
        assertEquals(1.0, client.worstQueryOverLocal(), 1e-12);
    }

    @Test
    void everyHopPaysItsOverheadAndWaitsBehindTheUploadWhileItSends() {
        // a held unit: no upload at all, so only the fixed overhead applies: 28 ms + 5
        SimulationOptions held = SimulationOptions.reference().withUnitsOnServer(Set.of(0)).withSharedLink(true)
                .withHopOverhead(5, 20);
        SimulationResult r = Simulator.simulate(ONE, new UploadPlan("s", List.of(new Partition(List.of(),
                List.of(new Segment(0, 0)))), EarlyQueryPolicy.LOCAL), 10, held, 0);
        assertEquals(33, r.firstQueryLatencyMs(), 1e-9);
        // two units, the second still uploading when the first query hops: it waits 20 ms behind the chunks
        CostProfile two = new CostProfile("two", List.of(new UnitCost("a", 100, 10, 1_000, 1, 10_000, 10_000,
                List.of("a")), new UnitCost("b", 100, 10, 10_000_000, 1, 10_000, 10_000, List.of("b"))), 0);
        UploadPlan plan = new UploadPlan("s", List.of(new Partition(List.of(0), List.of(new Segment(0, 0))),
                new Partition(List.of(1), List.of(new Segment(0, 1)))), EarlyQueryPolicy.LOCAL);
        SimulationOptions shared = SimulationOptions.reference().withSharedLink(true).withClientRouting(true);
        QueryRecord plain = Simulator.simulate(two, plan, 10, shared, 20_000).queries().stream()
                .filter(q -> q.plan() == 0).findFirst().orElseThrow();
        QueryRecord waiting = Simulator.simulate(two, plan, 10, shared.withHopOverhead(5, 20), 20_000).queries()
                .stream().filter(q -> q.plan() == 0).findFirst().orElseThrow();
        assertEquals(plain.latencyMs() + 25, waiting.latencyMs(), 1e-9);
        // after the upload, only the fixed overhead: unit b's route, 8 + 10 + 10 + 8 + 5
        SimulationResult after = Simulator.simulate(two, plan, 10, shared.withHopOverhead(5, 20), 20_000);
        QueryRecord last = after.queries().get(after.queries().size() - 1);
        assertTrue(last.startMs() > after.uploadDoneMs());
        assertEquals(41, last.latencyMs(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> SimulationOptions.reference().withHopOverhead(-1, 0));
    }

    @Test
    void aRouteWhoseClientPartsAreStillBuildingWaitsForThemOrRunsLocally() {
        // ready at 801 ms; the offloaded query takes 2 + 8 + 10 + 8 = 28 ms
        UploadPlan plan = new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL);
        SimulationOptions client = SimulationOptions.reference().withClientRouting(true);
        SimulationResult now = Simulator.simulate(ONE, plan, 10, client, 2000);
        // the client parts built only at 1500 ms: queries from 816 run locally until the wait is shorter than that
        SimulationResult later = Simulator.simulate(ONE, plan, 10, client.withClientUsableMs(List.of(1500.0)), 2000);
        QueryRecord firstOffloaded = now.queries().stream().filter(q -> q.plan() == 0).findFirst().orElseThrow();
        QueryRecord firstOffloadedLater = later.queries().stream().filter(q -> q.plan() == 0).findFirst()
                .orElseThrow();
        assertEquals(28, firstOffloaded.latencyMs(), 1e-9);
        assertTrue(firstOffloadedLater.startMs() > firstOffloaded.startMs());
        // the one that takes it waits for the build: its latency is the wait plus the route, never more than local
        assertEquals(1500 - firstOffloadedLater.startMs() + 28, firstOffloadedLater.latencyMs(), 1e-9);
        assertTrue(firstOffloadedLater.latencyMs() < 102);
        // never built: never taken
        SimulationResult never = Simulator.simulate(ONE, plan, 10, client.withClientUsableMs(
                List.of(Double.POSITIVE_INFINITY)), 2000);
        assertTrue(never.queries().stream().allMatch(q -> q.plan() < 0));
        assertThrows(IllegalArgumentException.class, () -> client.withClientUsableMs(List.of(-1.0)));
        assertThrows(IllegalArgumentException.class, () -> client.withClientUsableMs(List.of(Double.NaN)));
    }

    @Test
    void segmentLoadsBuildEveryNewSegmentFromAllItsUnits() {
        // three units of 1 MB, 100 ms to load each; the plan's single segment grows by one unit per partition
        CostProfile three = new CostProfile("three", List.of(
                new UnitCost("a", 100, 10, 1_000_000, 100, 10_000, 10_000, List.of("a")),
                new UnitCost("b", 100, 10, 1_000_000, 100, 10_000, 10_000, List.of("b")),
                new UnitCost("c", 100, 10, 1_000_000, 100, 10_000, 10_000, List.of("c"))), 0);
        UploadPlan growing = new UploadPlan("s", List.of(new Partition(List.of(0), List.of(new Segment(0, 0))),
                new Partition(List.of(1), List.of(new Segment(0, 1))),
                new Partition(List.of(2), List.of(new Segment(0, 1), new Segment(2, 2)))), EarlyQueryPolicy.LOCAL);
        double[] papers = PartitionLoads.of(three, growing, SimulationOptions.reference());
        double[] gateway = PartitionLoads.of(three, growing, SimulationOptions.reference().withSegmentLoads(true));
        assertEquals(List.of(100.0, 100.0, 100.0), java.util.Arrays.stream(papers).boxed().toList());
        // (0,0); (0,1) anew from both units; (0,1) already built, only (2,2); each with a warm-up run (10 ms a unit)
        assertEquals(List.of(110.0, 220.0, 110.0), java.util.Arrays.stream(gateway).boxed().toList());
        SimulationResult a = Simulator.simulate(three, growing, 10, SimulationOptions.reference(), 0);
        SimulationResult b = Simulator.simulate(three, growing, 10, SimulationOptions.reference().withSegmentLoads(true),
                0);
        // the second partition is usable 120 ms later; loading overlaps the next send, so the third only 10 ms
        assertEquals(a.partitions().get(1).readyMs() + 120, b.partitions().get(1).readyMs(), 1e-9);
        assertEquals(a.uploadDoneMs() + 10, b.uploadDoneMs(), 1e-9);
        assertEquals(0, PartitionLoads.of(three, growing, SimulationOptions.reference().withLoadTime(false))[1]);
        // a gateway that measured 25 ms per build beyond its units' figures: one build, one build, one build
        double[] measured = Simulator.partitionLoadsMs(three, growing, SimulationOptions.reference()
                .withSegmentLoads(true).withSegmentBuildMs(25));
        assertEquals(List.of(135.0, 245.0, 135.0), java.util.Arrays.stream(measured).boxed().toList());
        // the papers' loads know no builds
        assertEquals(100, PartitionLoads.of(three, growing, SimulationOptions.reference().withSegmentBuildMs(25))[0]);
        assertThrows(IllegalArgumentException.class, () -> SimulationOptions.reference().withSegmentBuildMs(-1));
        assertThrows(IllegalArgumentException.class,
                () -> SimulationOptions.reference().withSegmentBuildMs(Double.POSITIVE_INFINITY));
    }

    @Test
    void commonWindowAddsSteadyStateQueries() {
        UploadPlan plan = new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL);
        SimulationResult own = Simulator.simulate(ONE, plan, 10);
        SimulationResult longer = Simulator.simulate(ONE, plan, 10, SimulationOptions.reference(), 5000);
        assertEquals(5000, longer.commonWindowMs(), 0);
        assertTrue(longer.meanLatencyCommonWindowMs() < own.meanLatencyCommonWindowMs());
        assertEquals(own.meanLatencyDuringUploadMs(), longer.meanLatencyDuringUploadMs(), 1e-9);
        assertTrue(longer.timeAveragedLatencyMs() < own.timeAveragedLatencyMs());
    }

    @Test
    void badInputFailsClearly() {
        UploadPlan plan = new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL);
        assertThrows(IllegalArgumentException.class, () -> Simulator.simulate(ONE, plan, 0));
        assertThrows(IllegalArgumentException.class, () -> Simulator.simulate(ONE, plan, -1));
        UploadPlan early = new UploadPlan("s", List.of(new Partition(List.of(), List.of(new Segment(0, 0)))),
                EarlyQueryPolicy.LOCAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.simulate(ONE, early, 10));
        assertTrue(e.getMessage().contains("before it is uploaded"), e.getMessage());
        UploadPlan unknown = new UploadPlan("s", List.of(new Partition(List.of(5), List.of())), EarlyQueryPolicy.LOCAL);
        assertThrows(IllegalArgumentException.class, () -> Simulator.simulate(ONE, unknown, 10));
        CostProfile free = new CostProfile("free", List.of(new UnitCost("u", 0, 0, 1000, 0, 0, 0, List.of("a"))));
        assertThrows(IllegalArgumentException.class, () -> Simulator.simulate(free,
                new UploadPlan("s", List.of(new Partition(List.of(0), List.of(new Segment(0, 0)))),
                        EarlyQueryPolicy.LOCAL), 0.001));
        assertThrows(IllegalArgumentException.class, () -> new SimulationOptions(true, Set.of(), -1));
    }

    @Test
    void unitsAlreadyOnTheServerAreReadyAtOnce() {
        UploadPlan plan = new UploadPlan("s", List.of(new Partition(List.of(), List.of(new Segment(0, 0)))),
                EarlyQueryPolicy.LOCAL);
        SimulationResult result = Simulator.simulate(ONE, plan, 10, new SimulationOptions(true, Set.of(0), 0), 0);
        assertEquals(2 + 8 + 10 + 8, result.firstQueryLatencyMs(), 1e-9);
    }
}
