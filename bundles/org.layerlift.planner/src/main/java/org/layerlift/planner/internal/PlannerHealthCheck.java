package org.layerlift.planner.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The planner in the gateway's status (every health check tagged {@code layerlift} is there): OK while the selected
 * strategy plans, WARN while the default stands in or something else is amiss, CRITICAL when no strategy can plan.
 * Not cached, so a status taken right after a swap shows it.
 */
@Component(property = {
    HealthCheck.NAME + "=" + PlannerHealthCheck.NAME,
    HealthCheck.TAGS + "=layerlift",
    HealthCheck.TAGS + "=planner",
    HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=0"
})
public final class PlannerHealthCheck implements HealthCheck {

    static final String NAME = "LayerLift planner";

    private final Planner planner;

    @Activate
    public PlannerHealthCheck(@Reference Planner planner) {
        this.planner = planner;
    }

    @Override
    public Result execute() {
        return new Result(log(planner.state()));
    }

    static ResultLog log(PlannerState state) {
        ResultLog log = new ResultLog();
        for (String problem : state.problems()) {
            boolean nothingPlans = state.active() == null && problem.startsWith("no strategy can plan");
            log.add(new ResultLog.Entry(nothingPlans ? Result.Status.CRITICAL : Result.Status.WARN, problem));
        }
        String available = state.available().isEmpty() ? "none" : String.join(", ", state.available());
        log.add(new ResultLog.Entry(Result.Status.OK, (state.active() == null ? "planning with nothing"
                : "planning with '" + state.active() + "'") + " (selected '" + state.selected() + "', default '"
                + state.defaultStrategy() + "'; available: " + available + ")"));
        return log;
    }
}
