package org.layerlift.planner.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planner.internal.StrategyRegistry.Strategies;
import org.osgi.framework.ServiceException;

/**
 * Which strategy plans, for one set of strategies and one configuration (immutable): the selected strategy if it is
 * there, else the default, else none. Planning retries with the default when the selected strategy disappears in the
 * middle of a call.
 */
final class StrategySelection {

    private final Strategies strategies;
    private final PlannerSettings settings;
    private final String configurationProblem;

    /** @param configurationProblem why the newest configuration was rejected (the settings are older ones), or null */
    StrategySelection(Strategies strategies, PlannerSettings settings, String configurationProblem) {
        this.strategies = strategies;
        this.settings = settings;
        this.configurationProblem = configurationProblem;
    }

    /** The name of the strategy that plans: the selected one, else the default; null when neither is there. */
    String active() {
        if (strategies.byName().containsKey(settings.selected())) {
            return settings.selected();
        }
        return strategies.byName().containsKey(settings.defaultStrategy()) ? settings.defaultStrategy() : null;
    }

    /**
     * The state; its problems name no list of available strategies (that is in {@link PlannerState#available()}), so
     * the same problem reads the same while strategies come and go.
     */
    PlannerState state() {
        String active = active();
        List<String> problems = new ArrayList<>();
        if (configurationProblem != null) {
            problems.add(configurationProblem);
        }
        if (active == null) {
            problems.add(neitherAvailable());
        } else if (!active.equals(settings.selected())) {
            problems.add("selected strategy '" + settings.selected() + "' is not available; planning with the default '"
                    + active + "'");
        }
        problems.addAll(strategies.problems());
        return new PlannerState(settings.selected(), settings.defaultStrategy(), active,
                new java.util.TreeSet<>(strategies.byName().keySet()), problems);
    }

    /**
     * Plans with the active strategy. If the selected strategy fails as a service that is going away does
     * ({@link IllegalStateException}, {@link ServiceException}, or a {@link NoClassDefFoundError} from an uninstalled
     * bundle), the default plans instead and {@code onFallback} is told why.
     *
     * @throws IllegalArgumentException from the strategy: the request cannot be planned
     * @throws IllegalStateException    when no strategy can plan it (the message names the selected and the default)
     */
    UploadPlan plan(PlanRequest request, Consumer<String> onFallback) {
        String active = active();
        if (active == null) {
            throw new IllegalStateException(neitherAvailable() + " (available: "
                    + (strategies.byName().isEmpty() ? "none" : String.join(", ", strategies.byName().keySet())) + ")");
        }
        if (active.equals(settings.defaultStrategy())) {
            return planWith(active, request);
        }
        try {
            return planWith(active, request);
        } catch (IllegalStateException | ServiceException | NoClassDefFoundError e) {
            PartitionStrategy fallback = strategies.byName().get(settings.defaultStrategy());
            if (fallback == null) {
                throw new IllegalStateException("selected strategy '" + active + "' failed (" + e
                        + ") and the default strategy '" + settings.defaultStrategy() + "' is not available", e);
            }
            onFallback.accept("selected strategy '" + active + "' failed while planning (" + e
                    + "); planned with the default '" + settings.defaultStrategy() + "'");
            return planWith(settings.defaultStrategy(), request);
        }
    }

    private UploadPlan planWith(String name, PlanRequest request) {
        UploadPlan plan = strategies.byName().get(name).plan(request);
        if (plan == null) {
            throw new IllegalStateException("strategy '" + name + "' returned no plan");
        }
        return plan;
    }

    private String neitherAvailable() {
        return "no strategy can plan: neither the selected strategy '" + settings.selected()
                + "' nor the default strategy '" + settings.defaultStrategy() + "' is available";
    }
}
