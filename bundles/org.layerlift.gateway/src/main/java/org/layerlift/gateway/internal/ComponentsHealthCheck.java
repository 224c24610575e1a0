package org.layerlift.gateway.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.layerlift.api.gateway.ComponentStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** CRITICAL when a LayerLift component failed to activate (a bad configuration, say), with the reason. */
@Component(property = {
    HealthCheck.NAME + "=LayerLift components",
    HealthCheck.TAGS + "=layerlift",
    HealthCheck.TAGS + "=components"
})
public final class ComponentsHealthCheck implements HealthCheck {

    private final ServiceComponentRuntime scr;

    @Activate
    public ComponentsHealthCheck(@Reference ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        int active = 0;
        for (ComponentStatus c : ComponentStates.of(scr)) {
            if (ComponentStates.healthy(c)) {
                active++;
            } else if (c.state().equals("FAILED_ACTIVATION")) {
                log.critical("{} failed to activate: {}", c.name(), c.reason());
            } else {
                // waiting for a reference or configuration is normal while things start; worth a warning only
                log.warn("{} is {}: {}", c.name(), c.state(), c.reason());
            }
        }
        log.info("{} LayerLift components active", active);
        return new Result(log);
    }
}
