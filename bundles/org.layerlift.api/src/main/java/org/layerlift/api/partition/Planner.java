package org.layerlift.api.partition;

import java.util.SortedSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's planning service: plans uploads with the strategy its configuration selects, among the
 * {@link PartitionStrategy} services registered now, and falls back to a default strategy while the selected one is
 * absent (its bundle uninstalled, being swapped, or an unknown name).
 *
 * @since 1.2
 */
@ProviderType
public interface Planner {

    /**
     * Plans an upload with the {@linkplain #activeStrategy() active} strategy. It does not fail because a strategy
     * bundle is being swapped: when the selected strategy goes away in the middle of the call (it throws
     * {@link IllegalStateException} or an OSGi {@code ServiceException}), the default plans instead.
     *
     * @throws IllegalArgumentException a strategy cannot plan this request (the caller's problem; the message says why)
     * @throws IllegalStateException    neither the selected nor the default strategy is available (the message names
     *                                  both and lists the strategies there are)
     */
    UploadPlan plan(PlanRequest request);

    /** The planner's state now: what is selected, the default, what plans, what is available, and any problem. */
    PlannerState state();

    /** The strategy name the configuration selects (it may be absent now). */
    default String selectedStrategy() {
        return state().selected();
    }

    /** The name of the strategy that plans now: the selected one, else the default; null when neither is there. */
    default String activeStrategy() {
        return state().active();
    }

    /** Names of the strategies available now. */
    default SortedSet<String> strategies() {
        return state().available();
    }
}
