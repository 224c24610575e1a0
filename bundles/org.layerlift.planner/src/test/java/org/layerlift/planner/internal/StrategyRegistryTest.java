package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.planner.internal.StrategyRegistry.Strategies;
import org.layerlift.planner.internal.StrategySelectionTest.Fake;

class StrategyRegistryTest {

    @Test
    void theHighestRankingWinsADuplicateNameAndTheLoserIsNamed() {
        StrategyRegistry registry = new StrategyRegistry();
        Fake low = new Fake("ionn");
        Fake high = new Fake("ionn");
        registry.put(5L, "ionn", 0, "low [service.id 5]", low);
        registry.put(9L, "ionn", 10, "high [service.id 9]", high);
        Strategies s = registry.snapshot();
        assertSame(high, s.byName().get("ionn"));
        assertEquals(1, s.problems().size());
        String problem = s.problems().get(0);
        assertTrue(problem.startsWith("2 strategy services are named 'ionn'; using high [service.id 9]"
                + " (service.ranking 10), ignoring [low [service.id 5] (service.ranking 0)]"), problem);
        // the winner leaves: the other takes over, and the duplicate is no longer a problem
        registry.remove(9L);
        assertSame(low, registry.snapshot().byName().get("ionn"));
        assertEquals(List.of(), registry.snapshot().problems());
    }

    @Test
    void onEqualRankingTheOlderServiceWins() {
        StrategyRegistry registry = new StrategyRegistry();
        Fake older = new Fake("x");
        registry.put(12L, "x", 3, "newer", new Fake("x"));
        registry.put(7L, "x", 3, "older", older);
        assertSame(older, registry.snapshot().byName().get("x"));
    }

    @Test
    void aServiceWithoutANameIsIgnoredAndReported() {
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(3L, null, 0, "anonymous [service.id 3]", new Fake("?"));
        registry.put(4L, " ", 0, "blank [service.id 4]", new Fake("?"));
        registry.put(5L, new String[] {"a"}, 0, "array [service.id 5]", new Fake("?"));
        Strategies s = registry.snapshot();
        assertTrue(s.byName().isEmpty());
        assertEquals(3, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).contains("anonymous [service.id 3] has no usable strategy.name"));
        registry.remove(3L);
        registry.remove(4L);
        registry.remove(5L);
        assertEquals(List.of(), registry.snapshot().problems());
    }

    @Test
    void anUpdatedServiceIsReplacedNotDuplicated() {
        StrategyRegistry registry = new StrategyRegistry();
        Fake f = new Fake("old");
        registry.put(1L, "old", 0, "f", f);
        registry.put(1L, "new", 0, "f", f);
        assertEquals(List.of("new"), List.copyOf(registry.snapshot().byName().keySet()));
    }

    @Test
    void aSnapshotDoesNotChangeWithTheRegistry() {
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(1L, "a", 0, "a", new Fake("a"));
        Strategies before = registry.snapshot();
        registry.put(2L, "b", 0, "b", new Fake("b"));
        registry.remove(1L);
        assertEquals(List.of("a"), List.copyOf(before.byName().keySet()));
    }
}
