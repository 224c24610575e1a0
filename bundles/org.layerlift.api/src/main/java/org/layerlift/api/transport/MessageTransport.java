package org.layerlift.api.transport;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A live connection to an MQTT broker. The service is registered only while the connection is up, so a component
 * that requires it is active exactly when it can talk to the broker.
 */
@ProviderType
public interface MessageTransport {

    /** Service property: the broker URI this transport is connected to. */
    String BROKER_URI = "broker.uri";

    /** The MQTT client identifier, which is also the gateway's identity on the bus. */
    String clientId();

    /**
     * Publishes a message; the stage completes when the broker acknowledged it (QoS 1/2) or it was sent (QoS 0).
     * In-flight publishes are bounded by the broker's Receive Maximum: beyond it a message waits in a bounded queue
     * (the stage fails at once when that is full). Never blocks, so it may be called from any thread.
     */
    CompletionStage<Void> publish(OutboundMessage message);

    /**
     * Subscribes {@code handler} to {@code filter} (wildcards allowed) at {@code qos}; the subscription is renewed
     * after every reconnect until it is closed. See {@link MessageHandler} for threading and bounds.
     *
     * @since 1.1
     */
    Subscription subscribe(String filter, int qos, MessageHandler handler);
}
