package org.layerlift.api.transport;

import java.util.Objects;

/**
 * One message received on a subscription.
 *
 * @param topic           the topic it was published to
 * @param payload         raw bytes (never null)
 * @param qos             the QoS it arrived with
 * @param responseTopic   MQTT 5 Response Topic, or null
 * @param correlationData MQTT 5 Correlation Data, or null
 * @since 1.1
 */
public record InboundMessage(String topic, byte[] payload, int qos, String responseTopic, byte[] correlationData) {

    public InboundMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /** The client id level of a topic in a client namespace ({@link Topics#clientId}), or null. */
    public String clientId() {
        return Topics.clientId(topic);
    }
}
