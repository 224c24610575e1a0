package org.layerlift.transport.mqtt.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.layerlift.api.gateway.BundleStatus;
import org.layerlift.api.gateway.ComponentStatus;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.HealthStatus;

/**
 * The JSON on {@code layerlift/v1/gateway/<gatewayId>/status} (retained). {@code state} is "online" while the
 * gateway runs and "offline" after it stopped or lost its connection (then sent as the MQTT will, without details).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusMessage(String gatewayId, String state, String version, String health, List<BundleStatus> bundles,
        List<ComponentStatus> components, List<HealthStatus> checks, List<String> problems, long timestamp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static StatusMessage online(String gatewayId, GatewayStatus s) {
        return new StatusMessage(gatewayId, "online", s.version(), s.health(), s.bundles(), s.components(),
                s.checks(), s.problems(), s.timestamp());
    }

    static StatusMessage offline(String gatewayId) {
        return new StatusMessage(gatewayId, "offline", null, null, null, null, null, null,
                System.currentTimeMillis());
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
    }
}
