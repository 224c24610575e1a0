package org.layerlift.planner.internal;

import java.util.List;
import java.util.Map;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link Planner}: tracks every {@link PartitionStrategy} service (dynamic, greedy) by its
 * {@value PartitionStrategy#NAME}, and plans with the one its configuration selects, else the default. Strategies and
 * configuration are swapped as immutable snapshots, so a request in flight finishes with what it started with and no
 * request waits on a lock while a strategy plans.
 */
@Component(configurationPid = PlannerComponent.PID, service = Planner.class, immediate = true)
@Designate(ocd = PlannerComponent.Config.class)
public final class PlannerComponent implements Planner {

    static final String PID = "org.layerlift.planner";

    @ObjectClassDefinition(name = "LayerLift planner",
            description = "Which partition strategy plans uploads, and which one stands in while it is absent")
    public @interface Config {

        String STRATEGY = "strategy";
        String DEFAULT_STRATEGY = "default.strategy";

        // the shipped default (runtime configuration.json sets the same): deleting an override brings it back
        @AttributeDefinition(description = "Name (strategy.name) of the strategy to plan with")
        String strategy() default "frontier";

        @AttributeDefinition(description = "Name of the strategy to plan with while the selected one is absent")
        String default_strategy() default "ionn";
    }

    private final Logger log;
    private final BundleContext context;
    private final FrameworkListener started = event -> {
        if (event.getType() == FrameworkEvent.STARTED) {
            report();
        }
    };
    /** Changes and publishes the strategies in one locked step; read lock-free through {@code current()}. */
    private final StrategyRegistry registry = new StrategyRegistry();
    private final StrategyFailures failures = new StrategyFailures();
    private volatile PlannerSettings settings;
    private volatile String configurationProblem;
    /** The problems last logged, so a change is logged once, not on every request. Guarded by {@code this}. */
    private List<String> reported = List.of();

    /** @throws IllegalArgumentException for a blank strategy name: the component then stays inactive and says why */
    @Activate
    public PlannerComponent(Config config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.context = context;
        this.settings = new PlannerSettings(config.strategy(), config.default_strategy());
        log.info("Planner: strategy '{}', default '{}'", settings.selected(), settings.defaultStrategy());
        context.addFrameworkListener(started);
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(started);
    }

    /** A new configuration takes effect for the next request; a bad one is refused and the previous one kept. */
    @Modified
    void modified(Config config) {
        try {
            PlannerSettings next = new PlannerSettings(config.strategy(), config.default_strategy());
            settings = next;
            configurationProblem = null;
            log.info("Planner: strategy '{}', default '{}'", next.selected(), next.defaultStrategy());
        } catch (IllegalArgumentException e) {
            configurationProblem = e.getMessage() + "; keeping strategy '" + settings.selected() + "', default '"
                    + settings.defaultStrategy() + "'";
        }
        report();
    }

    @Reference(name = "strategies", service = PartitionStrategy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeStrategy", updated = "updateStrategy")
    void addStrategy(PartitionStrategy strategy, Map<String, Object> properties) {
        registry.put(serviceId(properties), properties.get(PartitionStrategy.NAME), ranking(properties),
                origin(properties), strategy);
        report();
    }

    void updateStrategy(PartitionStrategy strategy, Map<String, Object> properties) {
        addStrategy(strategy, properties);
    }

    void removeStrategy(PartitionStrategy strategy, Map<String, Object> properties) {
        registry.remove(serviceId(properties));
        report();
    }

    private StrategySelection selection() {
        return new StrategySelection(registry.current(), settings, configurationProblem, failures, registry::current);
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        return selection().plan(request, this::fellBack);
    }

    /**
     * Logs a fallback while planning. A strategy's failure is also a problem in the state from now on: it counts as
     * reported, so {@link #report()} does not log it a second time.
     */
    private void fellBack(String why) {
        log.warn("Planner: {}", why);
        List<String> recorded = failures.problems(registry.current());
        synchronized (this) {
            List<String> next = new java.util.ArrayList<>(reported);
            recorded.stream().filter(p -> !next.contains(p)).forEach(next::add);
            reported = List.copyOf(next);
        }
    }

    @Override
    public PlannerState state() {
        return selection().state();
    }

    /**
     * Logs what went wrong (a fallback, a duplicate, a refused configuration) when it changes, and when it clears.
     * While the framework starts or stops, strategies come and go in bundle order: that is not worth a warning, so
     * nothing is logged then; what still stands once it has started is logged then.
     */
    private void report() {
        // the framework is asked, and the log written, outside the lock: only the comparison is guarded
        int framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState();
        if (framework == Bundle.STARTING || framework == Bundle.STOPPING) {
            return;
        }
        PlannerState state = state();
        List<String> fresh;
        synchronized (this) {
            if (state.problems().equals(reported)) {
                return;
            }
            List<String> before = reported;
            fresh = state.problems().stream().filter(p -> !before.contains(p)).toList();
            reported = state.problems();
        }
        for (String problem : fresh) {
            log.warn("Planner: {}", problem);
        }
        if (state.problems().isEmpty() && state.active() != null) {
            log.info("Planner: planning with the selected strategy '{}' (available: {})", state.active(),
                    String.join(", ", state.available()));
        }
    }

    private static Long serviceId(Map<String, Object> properties) {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
    }

    /** The component that registered the service, else its bundle, with the service id. */
    private static String origin(Map<String, Object> properties) {
        Object component = properties.get("component.name");
        Object bundle = properties.get(Constants.SERVICE_BUNDLEID);
        return (component != null ? component.toString() : "of bundle " + bundle) + " [service.id "
                + properties.get(Constants.SERVICE_ID) + "]";
    }
}
