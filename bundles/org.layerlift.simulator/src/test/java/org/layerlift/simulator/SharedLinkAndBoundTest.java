package org.layerlift.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.strategy.efficiency.EfficiencyStrategy;
import org.layerlift.strategy.ionn.IonnStrategy;

class SharedLinkAndBoundTest {

    // 100 ms locally, 10 ms on the server, 1 MB of weights (800 ms at 10 Mbps), 1 ms to load, 10 kB in/out (8 ms)
    private static final CostProfile ONE = new CostProfile("one",
            List.of(new UnitCost("u", 100, 10, 1_000_000, 1, 10_000, 10_000, List.of("a", "b"))), 2);
    private static final Partition ALL = new Partition(List.of(0), List.of(new Segment(0, 0)));
    private static final SimulationOptions SHARED = SimulationOptions.reference().withSharedLink(true);

    @Test
    void localQueriesLeaveTheSharedLinkToTheUpload() {
        SimulationResult result = Simulator.simulate(ONE, new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.LOCAL),
                10, SHARED, 0);
        assertEquals(801, result.uploadDoneMs(), 1e-9);
    }

    @Test
    void theUploadPausesWhileAnInputIsInFlight() {
        SimulationResult result = Simulator.simulate(ONE,
                new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.WAIT_FOR_FIRST), 10, SHARED, 0);
        // the input takes the link from 2 to 10 ms: the weights arrive at 808, are loaded at 809
        assertEquals(809, result.uploadDoneMs(), 1e-9);
        assertEquals(809, result.partitions().get(0).readyMs(), 1e-9);
        assertEquals(809 + 10 + 8, result.firstQueryLatencyMs(), 1e-9);
        SimulationResult separate = Simulator.simulate(ONE,
                new UploadPlan("s", List.of(ALL), EarlyQueryPolicy.WAIT_FOR_FIRST), 10);
        assertEquals(801 + 10 + 8, separate.firstQueryLatencyMs(), 1e-9);
    }

    @Test
    void routeByEtaKeepsOnlyTheChosenRoutesActivations() {
        CostProfile two = new CostProfile("two", List.of(
                new UnitCost("a", 50, 5, 500_000, 0, 10_000, 10_000, List.of("a")),
                new UnitCost("b", 50, 5, 500_000, 0, 10_000, 10_000, List.of("b"))), 0);
        UploadPlan plan = new UploadPlan("s", List.of(new Partition(List.of(0), List.of(new Segment(0, 0))),
                new Partition(List.of(1), List.of(new Segment(0, 1)))), EarlyQueryPolicy.ROUTE_BY_ETA);
        SimulationResult shared = Simulator.simulate(two, plan, 10, SHARED, 0);
        SimulationResult separate = Simulator.simulate(two, plan, 10);
        assertTrue(shared.uploadDoneMs() >= separate.uploadDoneMs());
        assertTrue(shared.worstQueryOverLocal() <= 1.0);
        // local queries until the first unit is near: the link is the upload's until then
        assertEquals(400, shared.partitions().get(0).readyMs(), 1e-9);
        for (QueryRecord q : shared.queries()) {
            assertTrue(q.latencyMs() <= 100 + 1e-9);
        }
    }

    @Test
    void theBoundLetsEachQueryPickItsPlan() {
        List<Bound.FrontierPlan> frontier = Bound.frontier(ONE, 10, Set.of());
        assertEquals(2, frontier.size());
        assertEquals(new Bound.FrontierPlan(List.of(), 0, 102), frontier.get(0));
        assertEquals(new Bound.FrontierPlan(List.of(0), 1_000_000, 2 + 8 + 10 + 8), frontier.get(1));
        SimulationResult bound = Bound.simulate(ONE, 10, SimulationOptions.reference(), 0);
        assertEquals(Bound.NAME, bound.strategy());
        assertEquals(800, bound.uploadDoneMs(), 1e-9);
        // queries at 0, 102, ..., 714 (8 of them); the one at 714 finishes when the weights could have come, at 800
        assertEquals(8, bound.queriesDuringUpload());
        assertEquals((7 * 102 + 86) / 8.0, bound.meanLatencyDuringUploadMs(), 1e-9);
        assertEquals(102, bound.firstQueryLatencyMs(), 1e-9);
        assertEquals(86, bound.queries().get(bound.queries().size() - 1).latencyMs(), 1e-9);
        SimulationResult longer = Bound.simulate(ONE, 10, SimulationOptions.reference(), 900);
        assertEquals(28, longer.queries().get(longer.queries().size() - 1).latencyMs(), 1e-9);
        assertTrue(bound.worstQueryOverLocal() <= 1.0);
        SimulationResult alreadyThere = Bound.simulate(ONE, 10,
                SimulationOptions.reference().withUnitsOnServer(Set.of(0)), 0);
        assertEquals(28, alreadyThere.firstQueryLatencyMs(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"alexnet,10", "alexnet,40", "alexnet,160", "googlenet,10", "googlenet,40", "googlenet,160"})
    void theBoundIsBelowIonnAndEfficiency(String model, double mbps) {
        CostProfile profile = Profiles.load(model);
        PlanRequest request = new PlanRequest(profile, mbps, Set.of());
        List<SimulationResult> results = Simulator.compareWithBound(profile,
                List.of(new IonnStrategy().plan(request), new EfficiencyStrategy().plan(request)), mbps,
                SimulationOptions.reference());
        SimulationResult bound = results.get(2);
        assertEquals(results.get(0).commonWindowMs(), bound.commonWindowMs(), 1e-9);
        for (SimulationResult r : results.subList(0, 2)) {
            assertTrue(bound.meanLatencyCommonWindowMs() <= r.meanLatencyCommonWindowMs(), r.strategy());
            assertTrue(bound.timeAveragedLatencyMs() <= r.timeAveragedLatencyMs(), r.strategy());
            assertTrue(bound.uploadDoneMs() <= r.uploadDoneMs(), r.strategy());
        }
        // the steady state: the bound's fastest plan is the best plan of all
        SimulationResult efficiency = results.get(1);
        QueryRecord lastE = efficiency.queries().get(efficiency.queries().size() - 1);
        QueryRecord lastB = bound.queries().get(bound.queries().size() - 1);
        assertTrue(lastB.latencyMs() <= lastE.latencyMs() + 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"alexnet,20", "googlenet,80"})
    void sharingTheLinkOnlySlowsThingsDown(String model, double mbps) {
        CostProfile profile = Profiles.load(model);
        PlanRequest request = new PlanRequest(profile, mbps, Set.of());
        List<UploadPlan> plans = List.of(new IonnStrategy().plan(request), new EfficiencyStrategy().plan(request));
        List<SimulationResult> separate = Simulator.compare(profile, plans, mbps, SimulationOptions.reference());
        List<SimulationResult> shared = Simulator.compare(profile, plans, mbps, SHARED);
        for (int i = 0; i < plans.size(); i++) {
            assertTrue(shared.get(i).uploadDoneMs() >= separate.get(i).uploadDoneMs());
            assertTrue(shared.get(i).commonWindowMs() >= separate.get(i).commonWindowMs());
            for (int j = 0; j < separate.get(i).partitions().size(); j++) {
                assertTrue(shared.get(i).partitions().get(j).readyMs()
                        >= separate.get(i).partitions().get(j).readyMs() - 1e-9);
            }
        }
    }
}
