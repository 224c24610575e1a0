package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;

class StrategyRegistryTest {

    /** A strategy that only has a name. */
    private record Named(String name) implements PartitionStrategy {
        @Override
        public UploadPlan plan(PlanRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void serviceLoaderFindsEveryStrategyJarOnTheClassPath() {
        assertEquals(List.of("all-at-once", "efficiency", "frontier", "ionn", "local", "one-shot"),
                StrategyRegistry.load().names());
    }

    @Test
    void selectsInTheOrderGivenWithoutRepeats() {
        StrategyRegistry registry = new StrategyRegistry(List.of(new Named("b"), new Named("a"), new Named("c")));
        assertEquals(List.of("a", "b", "c"), registry.names());
        assertEquals(List.of("c", "a"), names(registry.select(List.of("c", " a", "c"))));
        assertEquals(List.of("a", "b", "c"), names(registry.select(List.of("all"))));
        assertEquals(List.of("c", "a", "b"), names(registry.select(List.of("c", "all"))));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        StrategyRegistry registry = new StrategyRegistry(List.of(new Named("ionn"), new Named("efficiency")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.select(List.of("ionn", "IONN2")));
        assertEquals("unknown strategy 'IONN2'; known: efficiency, ionn (or 'all')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.select(List.of()));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new StrategyRegistry(List.of()).select(List.of("x")));
        assertTrue(none.getMessage().contains("no strategy jar on the class path"), none.getMessage());
    }

    @Test
    void refusesAmbiguousOrUnusableNames() {
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> new StrategyRegistry(List.of(new Named("x"), new Named("x"))));
        assertTrue(twice.getMessage().contains("two strategies are named 'x'"), twice.getMessage());
        for (String bad : new String[] {"", " ", "a,b", "all", "bound"}) {
            assertThrows(IllegalStateException.class, () -> new StrategyRegistry(List.of(new Named(bad))), bad);
        }
    }

    private static List<String> names(List<PartitionStrategy> strategies) {
        return strategies.stream().map(PartitionStrategy::name).toList();
    }
}
