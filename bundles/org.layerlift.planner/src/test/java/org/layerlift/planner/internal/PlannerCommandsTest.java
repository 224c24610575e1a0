package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.PlannerState;

class PlannerCommandsTest {

    private static PlannerState state(String selected, String fallback, String active, Set<String> available,
            List<String> problems) {
        return new PlannerState(selected, fallback, active, new TreeSet<>(available), problems);
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        PlannerState s = state("ionn", "ionn", "ionn", Set.of("ionn", "local"), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlannerCommands.checkedName("eficiency", s));
        assertEquals("unknown strategy 'eficiency'; known: ionn, local. The selection stays 'ionn'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlannerCommands.checkedName("  ", s));
        assertThrows(IllegalArgumentException.class, () -> PlannerCommands.checkedName(null, s));
        assertEquals("local", PlannerCommands.checkedName(" local ", s));
    }

    @Test
    void theListingMarksSelectedDefaultAndWhatPlans() {
        String text = PlannerCommands.listing(state("efficiency", "ionn", "ionn", Set.of("ionn", "local"),
                List.of("selected strategy 'efficiency' is not available; planning with the default 'ionn'")));
        assertEquals("""
                * ionn (default)
                  local
                  efficiency (selected, not available)
                * = plans now
                ! selected strategy 'efficiency' is not available; planning with the default 'ionn'
                """, text);
        assertEquals("* local (selected)\n  one-shot\n  ionn (default, not available)\n* = plans now\n",
                PlannerCommands.listing(state("local", "ionn", "local", Set.of("local", "one-shot"), List.of())));
    }

    @Test
    void theHealthCheckIsOkWarnOrCriticalAsThePlannerIs() {
        assertEquals(Result.Status.OK, new Result(PlannerHealthCheck.log(
                state("ionn", "ionn", "ionn", Set.of("ionn"), List.of()))).getStatus());
        Result fallback = new Result(PlannerHealthCheck.log(state("efficiency", "ionn", "ionn", Set.of("ionn"),
                List.of("selected strategy 'efficiency' is not available; planning with the default 'ionn'"))));
        assertEquals(Result.Status.WARN, fallback.getStatus());
        Result none = new Result(PlannerHealthCheck.log(state("a", "b", null, Set.of(),
                List.of("no strategy can plan: neither the selected strategy 'a' nor the default strategy 'b' is"
                        + " available (available: none)"))));
        assertEquals(Result.Status.CRITICAL, none.getStatus());
        StringBuilder messages = new StringBuilder();
        none.forEach(e -> messages.append(e.getMessage()));
        assertTrue(messages.toString().contains("neither the selected strategy 'a'"), messages.toString());
    }
}
