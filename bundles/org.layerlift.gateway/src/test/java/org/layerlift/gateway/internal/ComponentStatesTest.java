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
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

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

    @Test
    void missingReferencesAreNamedByTheirServiceNotByTheirPlaceholder() {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        ReferenceDTO transport = new ReferenceDTO();
        transport.name = "$002";
        transport.interfaceName = "org.layerlift.api.transport.MessageTransport";
        ReferenceDTO log = new ReferenceDTO();
        log.name = "$003";
        log.interfaceName = "org.osgi.service.log.LoggerFactory";
        d.references = new ReferenceDTO[] {log, transport};
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "$002";
        missing.target = "(broker.uri=*)";
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};
        assertEquals("waiting for org.layerlift.api.transport.MessageTransport (broker.uri=*)",
                ComponentStates.reason(d, c));
    }

    @Test
    void statusWaitsWhileTheTransportSaysItIsNotConnected() {
        assertFalse(GatewayStatusService.transportUp(withTransport("CRITICAL")));
        assertTrue(GatewayStatusService.transportUp(withTransport("OK")));
        assertTrue(GatewayStatusService.transportUp(status("CRITICAL", 1)), "no transport check: nothing to wait for");
    }

    private static GatewayStatus withTransport(String state) {
        return new GatewayStatus("0.1.0", state, List.of(), List.of(),
                List.of(new HealthStatus(GatewayStatusService.TRANSPORT_CHECK, state, "Not connected")), List.of(), 1);
    }

    private static GatewayStatus status(String health, long time) {
        return new GatewayStatus("0.1.0", health, List.of(new BundleStatus(0, "sys", "7.0.5", "ACTIVE", "System")),
                List.of(new ComponentStatus("c", "org.layerlift.x", "ACTIVE", null)),
                List.of(new HealthStatus("h", health, "")), List.of(), time);
    }
}
