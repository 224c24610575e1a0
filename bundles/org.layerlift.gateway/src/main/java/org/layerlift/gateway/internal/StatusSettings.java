package org.layerlift.gateway.internal;

import java.util.function.Consumer;

/**
 * The validated values of a {@link StatusConfig}. A value outside its range is refused with one log line naming key
 * and value, and the previous valid value (on first activation: the default) is kept.
 */
record StatusSettings(int refreshSeconds, int problemsKept) {

    static final int MIN_REFRESH_S = 1;
    static final int MAX_REFRESH_S = 3600;
    static final int MIN_PROBLEMS_KEPT = 1;
    static final int MAX_PROBLEMS_KEPT = 1000;

    /** The defaults declared on {@link StatusConfig}. */
    static StatusSettings defaults() {
        return new StatusSettings(defaultOf("refresh_s"), defaultOf("problems_kept"));
    }

    static StatusSettings of(StatusConfig config, StatusSettings previous, Consumer<String> refused) {
        StatusSettings base = previous != null ? previous : defaults();
        return new StatusSettings(
                checked("refresh.s", config.refresh_s(), MIN_REFRESH_S, MAX_REFRESH_S, base.refreshSeconds, refused),
                checked("problems.kept", config.problems_kept(), MIN_PROBLEMS_KEPT, MAX_PROBLEMS_KEPT,
                        base.problemsKept, refused));
    }

    private static int checked(String key, int value, int min, int max, int kept, Consumer<String> refused) {
        if (value >= min && value <= max) {
            return value;
        }
        refused.accept("Gateway status configuration: " + key + "=" + value + " refused (must be " + min + ".." + max
                + "); keeping " + key + "=" + kept);
        return kept;
    }

    private static int defaultOf(String method) {
        try {
            return (Integer) StatusConfig.class.getDeclaredMethod(method).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
