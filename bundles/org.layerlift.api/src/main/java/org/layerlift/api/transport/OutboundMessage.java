package org.layerlift.api.transport;

import java.util.Objects;

/**
 * One message to publish.
 *
 * @param topic    MQTT topic name (no wildcards)
 * @param payload  raw bytes; never null
 * @param qos      0, 1 or 2
 * @param retained whether the broker keeps it for later subscribers
 */
public record OutboundMessage(String topic, byte[] payload, int qos, boolean retained) {
    public OutboundMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException("not a publishable MQTT topic: '" + topic + "'");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, got " + qos);
        }
    }
}
