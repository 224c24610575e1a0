package org.layerlift.planner.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    private final StrategyFailures failures;
    private final Supplier<Strategies> now;

    /** @param configurationProblem why the newest configuration was rejected (the settings are older ones), or null */
    StrategySelection(Strategies strategies, PlannerSettings settings, String configurationProblem) {
        this(strategies, settings, configurationProblem, new StrategyFailures(), () -> strategies);
    }

    /**
     * @param failures how strategies have failed so far (recorded into, and shown in the state)
     * @param now      the strategies registered now: a strategy that fails and is no longer among them went away
     */
    StrategySelection(Strategies strategies, PlannerSettings settings, String configurationProblem,
            StrategyFailures failures, Supplier<Strategies> now) {
        this.strategies = strategies;
        this.settings = settings;
        this.configurationProblem = configurationProblem;
        this.failures = failures;
        this.now = now;
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
        problems.addAll(failures.problems(strategies));
        return new PlannerState(settings.selected(), settings.defaultStrategy(), active,
                new java.util.TreeSet<>(strategies.byName().keySet()), problems);
    }

    /**
     * Plans with the active strategy, and checks its plan ({@link PlanValidation}). If the selected strategy goes away
     * in the middle of the call ({@link ServiceException}, a {@link NoClassDefFoundError} from an uninstalled bundle,
     * or any failure of a service that is no longer registered), the default plans instead and {@code onFallback} is
     * told why. If it fails while it is still registered (it throws anything but {@link IllegalArgumentException}, or
     * returns an invalid plan), that is a bug in the strategy: the default plans instead, the failure is told to
     * {@code onFallback} once per strategy and kind of failure, and it is a problem in the {@link #state()}.
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
        boolean isDefault = active.equals(settings.defaultStrategy());
        Failed failed;
        try {
            return planWith(active, request, onFallback, isDefault ? "" : "; planning with the default '"
                    + settings.defaultStrategy() + "' instead");
        } catch (Failed f) {
            if (isDefault) {
                throw f.cause instanceof RuntimeException r ? r : new IllegalStateException(f.reason, f.cause);
            }
            failed = f;
        }
        if (strategies.byName().get(settings.defaultStrategy()) == null) {
            throw new IllegalStateException("selected strategy '" + active + "' failed (" + failed.reason
                    + ") and the default strategy '" + settings.defaultStrategy() + "' is not available", failed.cause);
        }
        if (failed.goneAway) {
            onFallback.accept("selected strategy '" + active + "' failed while planning (" + failed.reason
                    + "); it is going away; planned with the default '" + settings.defaultStrategy() + "'");
        }
        try {
            return planWith(settings.defaultStrategy(), request, onFallback, "");
        } catch (Failed f) {
            throw new IllegalStateException("selected strategy '" + active + "' failed (" + failed.reason
                    + ") and so did the default strategy '" + settings.defaultStrategy() + "' (" + f.reason + ")",
                    f.cause);
        }
    }

    /** A strategy that did not plan: why, and whether it is going away (rather than broken). */
    private static final class Failed extends Exception {

        private static final long serialVersionUID = 1L;

        final String reason;
        final boolean goneAway;
        final Throwable cause;

        Failed(String reason, boolean goneAway, Throwable cause) {
            super(reason, cause, false, false);
            this.reason = reason;
            this.goneAway = goneAway;
            this.cause = cause;
        }
    }

    private UploadPlan planWith(String name, PlanRequest request, Consumer<String> log, String instead)
            throws Failed {
        PartitionStrategy strategy = strategies.byName().get(name);
        UploadPlan plan;
        try {
            plan = strategy.plan(request);
        } catch (IllegalArgumentException e) {
            throw e; // the request cannot be planned: the caller's problem, not the strategy's
        } catch (RuntimeException | NoClassDefFoundError e) {
            boolean goneAway = e instanceof ServiceException || e instanceof NoClassDefFoundError
                    || now.get().byName().get(name) != strategy;
            if (!goneAway && failures.record(name, strategy, e.getClass().getName(), String.valueOf(e))) {
                log.accept("strategy '" + name + "' failed while planning (" + e + "): a bug in the strategy, not a"
                        + " bundle going away" + instead + " (logged once for this failure)");
            }
            throw new Failed(String.valueOf(e), goneAway, e);
        }
        String invalid = PlanValidation.problem(plan, request);
        if (invalid != null) {
            if (failures.record(name, strategy, StrategyFailures.INVALID_PLAN, invalid)) {
                log.accept("strategy '" + name + "' returned an invalid plan: " + invalid + instead
                        + " (logged once for this failure)");
            }
            throw new Failed("strategy '" + name + "' " + invalid, false, null);
        }
        return plan;
    }

    private String neitherAvailable() {
        return "no strategy can plan: neither the selected strategy '" + settings.selected()
                + "' nor the default strategy '" + settings.defaultStrategy() + "' is available";
    }
}
