package org.layerlift.api.partition;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A snapshot of the {@link Planner}.
 *
 * @param selected        the strategy the configuration selects
 * @param defaultStrategy the strategy used while the selected one is absent
 * @param active          the strategy that plans now: {@code selected} if available, else {@code defaultStrategy} if
 *                        available, else null (plan requests fail)
 * @param available       names of the strategies registered now
 * @param problems        what is wrong, one sentence each (a fallback, duplicate names, a rejected configuration);
 *                        empty when the selected strategy plans and nothing else is amiss
 * @since 1.2
 */
public record PlannerState(String selected, String defaultStrategy, String active, SortedSet<String> available,
        List<String> problems) {

    public PlannerState {
        Objects.requireNonNull(selected, "selected");
        Objects.requireNonNull(defaultStrategy, "defaultStrategy");
        available = Collections.unmodifiableSortedSet(new TreeSet<>(available));
        problems = List.copyOf(problems);
    }

    /** True when the default plans because the selected strategy is absent. */
    public boolean fallback() {
        return active != null && !active.equals(selected);
    }
}
