package org.layerlift.api.transport;

import java.util.Objects;

/**
 * One message to publish.
 *
 * @param topic           MQTT topic name (no wildcards)
 * @param payload         raw bytes; never null
 * @param qos             0, 1 or 2
 * @param retained        whether the broker keeps it for later subscribers
 * @param responseTopic   MQTT 5 Response Topic, or null
 * @param correlationData MQTT 5 Correlation Data (replies carry the request's), or null
 */
public record OutboundMessage(String topic, byte[] payload, int qos, boolean retained, String responseTopic,
        byte[] correlationData) {

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

    public OutboundMessage(String topic, byte[] payload, int qos, boolean retained) {
        this(topic, payload, qos, retained, null, null);
    }

    /**
     * The reply to {@code request}: published to its response topic with its correlation data.
     *
     * @since 1.1
     */
    public static OutboundMessage replyTo(InboundMessage request, byte[] payload, int qos) {
        if (request.responseTopic() == null) {
            throw new IllegalArgumentException("the request on " + request.topic() + " has no response topic");
        }
        return new OutboundMessage(request.responseTopic(), payload, qos, false, null, request.correlationData());
    }
}
