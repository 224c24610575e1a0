package org.layerlift.planner.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands: {@code layerlift:strategies} lists the strategies with the selected and the active one marked;
 * {@code layerlift:strategy} shows the selection and {@code layerlift:strategy <name>} changes it, through the
 * planner's configuration (so it lasts, and Config Admin tells the planner).
 */
@Component(service = PlannerCommands.class, property = {
    "osgi.command.scope=layerlift",
    "osgi.command.function=strategies",
    "osgi.command.function=strategy"
})
public final class PlannerCommands {

    private static final long APPLY_WAIT_MS = 2_000;

    private final Planner planner;
    private final ConfigurationAdmin configAdmin;

    @Activate
    public PlannerCommands(@Reference Planner planner, @Reference ConfigurationAdmin configAdmin) {
        this.planner = planner;
        this.configAdmin = configAdmin;
    }

    public String strategies() {
        return listing(planner.state());
    }

    public String strategy() {
        return summary(planner.state());
    }

    /**
     * Selects a strategy by name.
     *
     * @throws IllegalArgumentException for a name no registered strategy has (nothing changes)
     */
    public String strategy(String name) throws InterruptedException {
        PlannerState before = planner.state();
        String wanted = checkedName(name, before);
        try {
            Configuration c = configAdmin.getConfiguration(PlannerComponent.PID, "?");
            Dictionary<String, Object> properties = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
            properties.put(PlannerComponent.Config.STRATEGY, wanted);
            if (properties.get(PlannerComponent.Config.DEFAULT_STRATEGY) == null) {
                properties.put(PlannerComponent.Config.DEFAULT_STRATEGY, before.defaultStrategy());
            }
            c.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the planner's configuration: " + e.getMessage(), e);
        }
        // Config Admin tells the planner on its own thread; give it a moment so the answer says what plans now
        long deadline = System.currentTimeMillis() + APPLY_WAIT_MS;
        while (!wanted.equals(planner.selectedStrategy()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return "selected '" + wanted + "' (was '" + before.selected() + "')\n" + summary(planner.state());
    }

    /** The name as the planner knows it, or a clear refusal listing the known names. */
    static String checkedName(String name, PlannerState state) {
        String wanted = name == null ? "" : name.strip();
        if (!state.available().contains(wanted)) {
            throw new IllegalArgumentException("unknown strategy '" + wanted + "'; known: "
                    + (state.available().isEmpty() ? "none" : String.join(", ", state.available()))
                    + ". The selection stays '" + state.selected() + "'");
        }
        return wanted;
    }

    static String listing(PlannerState state) {
        StringBuilder out = new StringBuilder();
        for (String name : state.available()) {
            out.append(name.equals(state.active()) ? "* " : "  ").append(name);
            if (name.equals(state.selected())) {
                out.append(" (selected)");
            }
            if (name.equals(state.defaultStrategy())) {
                out.append(" (default)");
            }
            out.append('\n');
        }
        if (!state.available().contains(state.selected())) {
            out.append("  ").append(state.selected()).append(" (selected, not available)\n");
        }
        if (!state.defaultStrategy().equals(state.selected())
                && !state.available().contains(state.defaultStrategy())) {
            out.append("  ").append(state.defaultStrategy()).append(" (default, not available)\n");
        }
        return out.append("* = plans now\n").append(problems(state)).toString();
    }

    static String summary(PlannerState state) {
        return "planning with " + (state.active() == null ? "nothing" : "'" + state.active() + "'") + " (selected '"
                + state.selected() + "', default '" + state.defaultStrategy() + "')\n" + problems(state);
    }

    private static String problems(PlannerState state) {
        StringBuilder out = new StringBuilder();
        for (String p : state.problems()) {
            out.append("! ").append(p).append('\n');
        }
        return out.toString();
    }
}
