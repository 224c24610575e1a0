package org.layerlift.transport.mqtt.internal;

import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.GatewayStatusListener;
import org.layerlift.api.transport.MessageTransport;
import org.layerlift.api.transport.OutboundMessage;
import org.layerlift.api.transport.Topics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Publishes the gateway's status, retained, whenever it changes. Exists only while a transport is connected; the
 * gateway hands every new listener the current status, so a reconnect republishes it (an embedded broker that
 * restarted in memory has forgotten it).
 */
@Component(service = GatewayStatusListener.class)
public final class StatusPublisher implements GatewayStatusListener {

    private final MessageTransport transport;
    private final Logger log;

    @Activate
    public StatusPublisher(@Reference MessageTransport transport,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.transport = transport;
        this.log = log;
    }

    @Override
    public void statusChanged(GatewayStatus status) {
        String topic = Topics.gatewayStatus(transport.clientId());
        byte[] json = StatusMessage.online(transport.clientId(), status).toJson();
        transport.publish(new OutboundMessage(topic, json, 1, true)).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("Could not publish the gateway status on {}: {}", topic, failure.getMessage());
            } else {
                log.debug("Published gateway status ({} bytes, health {}) on {}", json.length, status.health(), topic);
            }
        });
    }
}
