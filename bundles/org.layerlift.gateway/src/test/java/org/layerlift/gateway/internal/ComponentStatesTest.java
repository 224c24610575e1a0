package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.api.gateway.BundleStatus;
import org.layerlift.api.gateway.ComponentStatus;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.HealthStatus;

class ComponentStatesTest {

    @Test
    void activationFailureIsReducedToOurValidationMessage() {
        String trace = """
                org.osgi.service.component.ComponentException: The activate method has thrown an exception
                \tat org.apache.felix.scr.impl.inject.methods.BaseMethod.invokeMethod(BaseMethod.java:233)
                Caused by: java.lang.IllegalArgumentException: invalid broker configuration: port 0 is outside 1..65535
                \tat org.layerlift.broker.internal.BrokerSettings.of(BrokerSettings.java:60)
                """;
        assertEquals("invalid broker configuration: port 0 is outside 1..65535", ComponentStates.firstCause(trace));
    }

    @Test
    void failureWithoutCauseKeepsItsFirstLine() {
        assertEquals("boom", ComponentStates.firstCause("boom\n\tat x.y(Z.java:1)"));
        assertEquals("activation failed", ComponentStates.firstCause(null));
    }

    @Test
    void timestampAloneIsNoChange() {
        GatewayStatus a = status("OK", 1);
        assertTrue(GatewayStatusService.sameContent(a, status("OK", 2)));
        assertFalse(GatewayStatusService.sameContent(a, status("WARN", 1)));
        assertFalse(GatewayStatusService.sameContent(null, a));
    }

    private static GatewayStatus status(String health, long time) {
        return new GatewayStatus("0.1.0", health, List.of(new BundleStatus(0, "sys", "7.0.5", "ACTIVE", "System")),
                List.of(new ComponentStatus("c", "org.layerlift.x", "ACTIVE", null)),
                List.of(new HealthStatus("h", health, "")), List.of(), time);
    }
}
