package org.layerlift.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.layerlift.api.partition.PartitionStrategy;

/**
 * The strategies on the class path, keyed by {@link PartitionStrategy#name()}: every jar that lists one in
 * {@code META-INF/services/org.layerlift.api.partition.PartitionStrategy} is found.
 */
public final class StrategyRegistry {

    /** Selects every registered strategy. */
    public static final String ALL = "all";

    /** Reserved: the outputs' name for the simulator's lower bound, shown next to every case. */
    public static final String BOUND = org.layerlift.simulator.Bound.NAME;

    private final Map<String, PartitionStrategy> byName;

    /** @throws IllegalStateException when two strategies share a name, or one has none */
    public StrategyRegistry(Iterable<? extends PartitionStrategy> strategies) {
        Map<String, PartitionStrategy> map = new TreeMap<>();
        for (PartitionStrategy strategy : strategies) {
            String name = strategy.name();
            if (name == null || name.isBlank() || name.contains(",") || name.equals(ALL) || name.equals(BOUND)) {
                throw new IllegalStateException("strategy " + strategy.getClass().getName()
                        + " has an unusable name: '" + name + "'");
            }
            PartitionStrategy other = map.putIfAbsent(name, strategy);
            if (other != null) {
                throw new IllegalStateException("two strategies are named '" + name + "': "
                        + other.getClass().getName() + " and " + strategy.getClass().getName());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The strategies {@link ServiceLoader} finds on this class's class path. */
    public static StrategyRegistry load() {
        return new StrategyRegistry(ServiceLoader.load(PartitionStrategy.class, StrategyRegistry.class.getClassLoader()));
    }

    /** Registered names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The strategies named, in the order given and without repeats; {@value #ALL} stands for every registered one.
     *
     * @throws IllegalArgumentException for a name no strategy has, with the known names
     */
    public List<PartitionStrategy> select(List<String> names) {
        Map<String, PartitionStrategy> selected = new LinkedHashMap<>();
        for (String raw : names) {
            String name = raw.trim();
            if (name.equals(ALL)) {
                selected.putAll(byName);
                continue;
            }
            PartitionStrategy strategy = byName.get(name);
            if (strategy == null) {
                throw new IllegalArgumentException("unknown strategy '" + name + "'; known: "
                        + (byName.isEmpty() ? "none (no strategy jar on the class path)"
                                : String.join(", ", byName.keySet())) + " (or '" + ALL + "')");
            }
            selected.putIfAbsent(name, strategy);
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no strategy selected; known: " + String.join(", ", byName.keySet()));
        }
        return new ArrayList<>(selected.values());
    }
}
