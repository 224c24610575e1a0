package org.layerlift.planner.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.layerlift.api.partition.PartitionStrategy;

/**
 * The strategy services there are, by name. When several carry the same name, the one with the highest service
 * ranking wins (on equal ranking the older service, with the lower service id), as OSGi orders services.
 * Thread-safe. Each change computes the new immutable {@link Strategies} and publishes it as {@link #current()} in
 * the same locked step, so concurrent changes can never leave an older view published after a newer one.
 */
final class StrategyRegistry {

    /** One registered strategy service. */
    record Registration(String name, int ranking, long serviceId, String origin, PartitionStrategy strategy) {
    }

    /**
     * What plans: the winner for each name, and what is worth saying about the rest.
     *
     * @param byName   the winning strategy for each name, sorted by name
     * @param problems duplicate names (who wins), services without a name
     */
    record Strategies(SortedMap<String, PartitionStrategy> byName, List<String> problems) {

        static final Strategies NONE = new Strategies(new TreeMap<>(), List.of());

        Strategies {
            byName = Collections.unmodifiableSortedMap(new TreeMap<>(byName));
            problems = List.copyOf(problems);
        }
    }

    private static final Comparator<Registration> BEST_FIRST = Comparator
            .comparingInt(Registration::ranking).reversed()
            .thenComparingLong(Registration::serviceId);

    private final Map<Long, Registration> byServiceId = new HashMap<>();
    private final Map<Long, String> unnamed = new HashMap<>();
    /** Published only while holding the lock, together with the change it reflects. */
    private volatile Strategies current = Strategies.NONE;

    /** The strategies as of the latest change (no lock: a volatile read). */
    Strategies current() {
        return current;
    }

    /**
     * Adds (or, for a known service id, replaces) a service. A null or blank name is recorded as a problem.
     *
     * @return the strategies with this change, now {@link #current()}
     */
    synchronized Strategies put(Long serviceId, Object name, int ranking, String origin, PartitionStrategy strategy) {
        byServiceId.remove(serviceId);
        unnamed.remove(serviceId);
        if (name instanceof String s && !s.isBlank()) {
            byServiceId.put(serviceId, new Registration(s.strip(), ranking, serviceId, origin, strategy));
        } else {
            unnamed.put(serviceId, "strategy service " + origin + " has no usable " + PartitionStrategy.NAME
                    + " property (" + (name == null ? "none" : "'" + name + "'") + "); ignored");
        }
        return publish();
    }

    /** Removes a service; @return the strategies without it, now {@link #current()} */
    synchronized Strategies remove(Long serviceId) {
        byServiceId.remove(serviceId);
        unnamed.remove(serviceId);
        return publish();
    }

    private Strategies publish() {
        current = snapshot();
        return current;
    }

    synchronized Strategies snapshot() {
        Map<String, List<Registration>> byName = new TreeMap<>();
        for (Registration r : byServiceId.values()) {
            byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
        SortedMap<String, PartitionStrategy> winners = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (var entry : byName.entrySet()) {
            List<Registration> candidates = entry.getValue();
            candidates.sort(BEST_FIRST);
            Registration winner = candidates.get(0);
            winners.put(entry.getKey(), winner.strategy());
            if (candidates.size() > 1) {
                problems.add(candidates.size() + " strategy services are named '" + entry.getKey() + "'; using "
                        + winner.origin() + " (service.ranking " + winner.ranking() + "), ignoring "
                        + candidates.subList(1, candidates.size()).stream()
                                .map(r -> r.origin() + " (service.ranking " + r.ranking() + ")").toList());
            }
        }
        unnamed.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> problems.add(e.getValue()));
        return new Strategies(winners, problems);
    }
}
