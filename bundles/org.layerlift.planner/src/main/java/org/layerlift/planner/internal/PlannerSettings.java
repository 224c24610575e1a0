package org.layerlift.planner.internal;

/**
 * What the planner's configuration says, checked.
 *
 * @param selected        the strategy to plan with
 * @param defaultStrategy the strategy to plan with while the selected one is absent
 */
record PlannerSettings(String selected, String defaultStrategy) {

    PlannerSettings {
        selected = name(PlannerComponent.Config.STRATEGY, selected);
        defaultStrategy = name(PlannerComponent.Config.DEFAULT_STRATEGY, defaultStrategy);
    }

    private static String name(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("invalid planner configuration: " + key
                    + " must name a strategy, got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value.strip();
    }
}
