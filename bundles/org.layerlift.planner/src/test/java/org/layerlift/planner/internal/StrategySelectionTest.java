package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.framework.ServiceException;

class StrategySelectionTest {

    static final PlanRequest REQUEST = new PlanRequest(new CostProfile("tiny",
            List.of(new UnitCost("u0", 5, 1, 1000, 0.1, 100, 100, List.of("l0")))), 10, Set.of());

    /** A strategy that answers with a plan carrying its name, or throws what it is given. */
    record Fake(String name, Supplier<RuntimeException> failure) implements PartitionStrategy {

        Fake(String name) {
            this(name, null);
        }

        @Override
        public UploadPlan plan(PlanRequest request) {
            if (failure != null) {
                throw failure.get();
            }
            return new UploadPlan(name, List.of(), EarlyQueryPolicy.LOCAL);
        }
    }

    private static StrategySelection selection(String selected, String fallback, PartitionStrategy... strategies) {
        StrategyRegistry registry = new StrategyRegistry();
        long id = 1;
        for (PartitionStrategy s : strategies) {
            registry.put(id, s.name(), 0, "fake " + s.name() + " [service.id " + id + "]", s);
            id++;
        }
        return new StrategySelection(registry.snapshot(), new PlannerSettings(selected, fallback), null);
    }

    private static UploadPlan plan(StrategySelection selection, List<String> fallbacks) {
        return selection.plan(REQUEST, fallbacks::add);
    }

    @Test
    void theSelectedStrategyPlansWhenItIsThere() {
        StrategySelection s = selection("efficiency", "ionn", new Fake("ionn"), new Fake("efficiency"));
        List<String> fallbacks = new ArrayList<>();
        assertEquals("efficiency", plan(s, fallbacks).strategy());
        assertEquals(List.of(), fallbacks);
        PlannerState state = s.state();
        assertEquals("efficiency", state.active());
        assertFalse(state.fallback());
        assertEquals(List.of(), state.problems());
        assertEquals(List.of("efficiency", "ionn"), List.copyOf(state.available()));
    }

    @Test
    void anAbsentSelectionFallsBackToTheDefaultAndSaysSo() {
        StrategySelection s = selection("efficiency", "ionn", new Fake("ionn"), new Fake("local"));
        assertEquals("ionn", plan(s, new ArrayList<>()).strategy());
        PlannerState state = s.state();
        assertEquals("ionn", state.active());
        assertTrue(state.fallback());
        assertEquals(List.of("selected strategy 'efficiency' is not available; planning with the default 'ionn'"),
                state.problems());
        assertEquals(List.of("ionn", "local"), List.copyOf(state.available()));
    }

    @Test
    void withNeitherThereAPlanFailsNamingBoth() {
        StrategySelection s = selection("efficiency", "ionn", new Fake("local"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan(s, new ArrayList<>()));
        assertTrue(e.getMessage().contains("'efficiency'") && e.getMessage().contains("'ionn'")
                && e.getMessage().contains("available: local"), e.getMessage());
        assertNull(s.state().active());
        assertFalse(s.state().fallback());
        assertEquals(List.of("no strategy can plan: neither the selected strategy 'efficiency' nor the default"
                + " strategy 'ionn' is available"), s.state().problems());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> plan(selection("a", "b"), new ArrayList<>()));
        assertTrue(none.getMessage().contains("available: none"), none.getMessage());
    }

    @Test
    void aStrategyGoingAwayMidCallIsReplacedByTheDefault() {
        for (Supplier<RuntimeException> failure : List.<Supplier<RuntimeException>>of(
                () -> new IllegalStateException("bundle is stopping"),
                () -> new ServiceException("service unregistered"))) {
            StrategySelection s = selection("efficiency", "ionn", new Fake("ionn"), new Fake("efficiency", failure));
            List<String> fallbacks = new ArrayList<>();
            assertEquals("ionn", plan(s, fallbacks).strategy());
            assertEquals(1, fallbacks.size());
            assertTrue(fallbacks.get(0).contains("'efficiency' failed"), fallbacks.get(0));
        }
    }

    @Test
    void aStrategyThatReturnsNoPlanIsReplacedByTheDefault() {
        PartitionStrategy nothing = new PartitionStrategy() {
            @Override
            public UploadPlan plan(PlanRequest request) {
                return null;
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        List<String> fallbacks = new ArrayList<>();
        assertEquals("ionn", plan(selection("broken", "ionn", new Fake("ionn"), nothing), fallbacks).strategy());
        assertTrue(fallbacks.get(0).contains("returned no plan"), fallbacks.toString());
    }

    @Test
    void aBadRequestIsTheCallersProblemAndIsNotRetried() {
        IllegalArgumentException bad = new IllegalArgumentException("unit 'u0' cannot be planned");
        StrategySelection s = selection("efficiency", "ionn", new Fake("ionn"), new Fake("efficiency", () -> bad));
        List<String> fallbacks = new ArrayList<>();
        assertSame(bad, assertThrows(IllegalArgumentException.class, () -> plan(s, fallbacks)));
        assertEquals(List.of(), fallbacks);
    }

    @Test
    void aFailingSelectionWithoutADefaultFailsNamingBoth() {
        StrategySelection s = selection("efficiency", "ionn",
                new Fake("efficiency", () -> new IllegalStateException("stopping")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan(s, new ArrayList<>()));
        assertTrue(e.getMessage().contains("'efficiency' failed") && e.getMessage().contains("'ionn' is not available"),
                e.getMessage());
    }

    @Test
    void aFailingDefaultIsNotRetried() {
        StrategySelection s = selection("ionn", "ionn", new Fake("ionn", () -> new IllegalStateException("x")));
        assertEquals("x", assertThrows(IllegalStateException.class, () -> plan(s, new ArrayList<>())).getMessage());
    }

    @Test
    void aRefusedConfigurationIsAProblemInTheState() {
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(1L, "ionn", 0, "ionn", new Fake("ionn"));
        StrategySelection s = new StrategySelection(registry.snapshot(), new PlannerSettings("ionn", "ionn"),
                "invalid planner configuration: strategy must name a strategy, got ' '");
        assertEquals(List.of("invalid planner configuration: strategy must name a strategy, got ' '"),
                s.state().problems());
        assertEquals("ionn", s.state().active());
    }

    @Test
    void blankNamesAreRefusedAndNamesAreTrimmed() {
        for (String blank : new String[] {null, "", "  \t"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PlannerSettings(blank, "ionn"));
            assertTrue(e.getMessage().startsWith("invalid planner configuration: strategy must name a strategy"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new PlannerSettings("ionn", blank));
            assertTrue(e.getMessage().contains("default.strategy must name a strategy"), e.getMessage());
        }
        assertEquals(new PlannerSettings("efficiency", "ionn"), new PlannerSettings(" efficiency ", "ionn\n"));
    }

    @Test
    void anInvalidPlanIsReplacedByTheDefaultLoggedOnceAndShown() {
        PartitionStrategy twice = request -> new UploadPlan("twice", List.of(
                new org.layerlift.api.partition.Partition(List.of(0), List.of()),
                new org.layerlift.api.partition.Partition(List.of(0), List.of())), EarlyQueryPolicy.LOCAL);
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(1L, "ionn", 0, "ionn", new Fake("ionn"));
        registry.put(2L, "twice", 0, "twice", twice);
        StrategyFailures failures = new StrategyFailures();
        List<String> logged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StrategySelection s = new StrategySelection(registry.current(), new PlannerSettings("twice", "ionn"), null,
                    failures, registry::current);
            assertEquals("ionn", s.plan(REQUEST, logged::add).strategy());
        }
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("'twice' returned an invalid plan: partition 2 uploads unit 0 again"),
                logged.get(0));
        PlannerState state = new StrategySelection(registry.current(), new PlannerSettings("twice", "ionn"), null,
                failures, registry::current).state();
        assertEquals(List.of("strategy 'twice' returned an invalid plan: partition 2 uploads unit 0 again; the default"
                + " plans instead of it"), state.problems());
        // a replacement service under the same name starts clean
        registry.remove(2L);
        registry.put(3L, "twice", 0, "twice again", new Fake("twice"));
        assertEquals(List.of(), new StrategySelection(registry.current(), new PlannerSettings("twice", "ionn"), null,
                failures, registry::current).state().problems());
    }

    @Test
    void aDefaultWithAnInvalidPlanFails() {
        PartitionStrategy bad = request -> new UploadPlan("bad", List.of(
                new org.layerlift.api.partition.Partition(List.of(7), List.of())), EarlyQueryPolicy.LOCAL);
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(1L, "ionn", 0, "bad", bad);
        StrategySelection s = new StrategySelection(registry.current(), new PlannerSettings("ionn", "ionn"), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan(s, new ArrayList<>()));
        assertTrue(e.getMessage().contains("invalid") || e.getMessage().contains("does not have"), e.getMessage());
    }

    @Test
    void aStrategyThatFailsAfterItWasUnregisteredIsGoingAwayNotABug() {
        StrategyRegistry registry = new StrategyRegistry();
        registry.put(1L, "ionn", 0, "ionn", new Fake("ionn"));
        registry.put(2L, "efficiency", 0, "eff", new Fake("efficiency", () -> new IllegalStateException("gone")));
        StrategyRegistry.Strategies before = registry.current();
        registry.remove(2L);
        StrategyFailures failures = new StrategyFailures();
        StrategySelection s = new StrategySelection(before, new PlannerSettings("efficiency", "ionn"), null,
                failures, registry::current);
        List<String> logged = new ArrayList<>();
        assertEquals("ionn", s.plan(REQUEST, logged::add).strategy());
        assertTrue(logged.get(0).contains("going away"), logged.toString());
        assertEquals(List.of(), failures.problems(before));
    }
}
