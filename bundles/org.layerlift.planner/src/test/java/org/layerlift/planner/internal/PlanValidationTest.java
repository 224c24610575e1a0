package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;

class PlanValidationTest {

    static final PlanRequest THREE = request(Set.of());

    static PlanRequest request(Set<Integer> onServer) {
        List<UnitCost> units = List.of(new UnitCost("u0", 5, 1, 1000, 0.1, 100, 100, List.of("l0")),
                new UnitCost("u1", 5, 1, 1000, 0.1, 100, 100, List.of("l1")),
                new UnitCost("u2", 5, 1, 1000, 0.1, 100, 100, List.of("l2")));
        return new PlanRequest(new CostProfile("three", units), 10, onServer);
    }

    static UploadPlan plan(Partition... partitions) {
        return new UploadPlan("x", List.of(partitions), EarlyQueryPolicy.LOCAL);
    }

    static Partition p(List<Integer> units, Segment... segments) {
        return new Partition(units, List.of(segments));
    }

    @Test
    void aValidPlanPasses() {
        assertNull(PlanValidation.problem(plan(), THREE));
        assertNull(PlanValidation.problem(plan(p(List.of(1), new Segment(1, 1)),
                p(List.of(0, 2), new Segment(0, 2))), THREE));
        // units already on the server may run without being uploaded
        assertNull(PlanValidation.problem(plan(p(List.of(0), new Segment(0, 1))), request(Set.of(1))));
    }

    @Test
    void invalidPlansAreNamed() {
        assertEquals("returned no plan", PlanValidation.problem(null, THREE));
        assertEquals("returned an incomplete plan (no early-query policy)",
                PlanValidation.problem(new UploadPlan("x", List.of(), null), THREE));
        assertEquals("partition 1 uploads unit 3, which model 'three' does not have (it has 3)",
                PlanValidation.problem(plan(p(List.of(3))), THREE));
        assertEquals("partition 2 uploads unit 0 again",
                PlanValidation.problem(plan(p(List.of(0)), p(List.of(0, 1))), THREE));
        assertEquals("partition 1 has an invalid execution plan: segment Segment[first=1, last=3] leaves the "
                + "3-unit chain", PlanValidation.problem(plan(p(List.of(0, 1, 2), new Segment(1, 3))), THREE));
        assertEquals("partition 1 has an invalid execution plan: segments overlap or are out of order: "
                + "[Segment[first=0, last=1], Segment[first=1, last=2]]",
                PlanValidation.problem(plan(p(List.of(0, 1, 2), new Segment(0, 1), new Segment(1, 2))), THREE));
        assertEquals("partition 1 runs unit 1 on the server before it is uploaded",
                PlanValidation.problem(plan(p(List.of(0, 2), new Segment(0, 2)), p(List.of(1))), THREE));
    }
}
