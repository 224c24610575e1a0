package org.layerlift.planner.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.planner.internal.StrategyRegistry.Strategies;

/**
 * How strategies have failed (thrown where they should have planned, or returned an invalid plan), remembered per
 * strategy name and kind of failure, for the service instance that failed: a failure is logged once, and is a problem
 * in the planner's state while that instance is the one planning under its name (a replacement starts clean).
 * Thread-safe; bounded by names × kinds.
 */
final class StrategyFailures {

    /** Kind of failure for a plan that breaks the contract. */
    static final String INVALID_PLAN = "invalid plan";

    record Failure(String strategy, PartitionStrategy instance, String kind, String message) {

        String problem() {
            return "strategy '" + strategy + "' " + (INVALID_PLAN.equals(kind) ? "returned an invalid plan: " + message
                    : "failed while planning: " + message) + "; the default plans instead of it";
        }
    }

    private final Map<String, Failure> byKey = new ConcurrentHashMap<>();

    /** Records a failure; true the first time this instance fails this way (then it is worth a log line). */
    boolean record(String strategy, PartitionStrategy instance, String kind, String message) {
        boolean[] fresh = {false};
        byKey.compute(strategy + '\u0000' + kind, (k, old) -> {
            if (old != null && old.instance() == instance) {
                return old;
            }
            fresh[0] = true;
            return new Failure(strategy, instance, kind, message);
        });
        return fresh[0];
    }

    /** The problems of the failed instances that still plan under their names in {@code current}, sorted. */
    List<String> problems(Strategies current) {
        return byKey.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .filter(f -> current.byName().get(f.strategy()) == f.instance())
                .map(Failure::problem)
                .toList();
    }
}
