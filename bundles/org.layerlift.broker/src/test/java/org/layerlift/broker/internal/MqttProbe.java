package org.layerlift.broker.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One Paho MQTT 5 client as a test drives it: every call waits (bounded) and answers with the broker's reason code,
 * whether Paho reports a refusal by throwing or only in the token; what arrives collects as "topic payload".
 */
final class MqttProbe implements AutoCloseable {

    static final long WAIT_MS = 15_000;
    static final int GRANTED_QOS_1 = 1;
    static final int NOT_AUTHORIZED = 0x87;

    final String clientId;
    private final MqttAsyncClient client;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** Reason code of the broker's DISCONNECT, once one came (-1: none). */
    private final java.util.concurrent.CompletableFuture<Integer> disconnect = new java.util.concurrent.CompletableFuture<>();

    private MqttProbe(String uri, String clientId) throws MqttException {
        this.clientId = clientId;
        this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        // one callback for all messages: Paho also hands a message to the listener of a *refused* subscription
        // whose filter matches, so per-subscription listeners would count messages twice
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                // the broker's DISCONNECT carries its reason code; a dropped socket only an exception
                MqttException cause = response.getException();
                int code = response.getReturnCode() != 0 || cause == null ? response.getReturnCode()
                        : cause.getReasonCode();
                disconnect.complete(code);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    static MqttProbe connect(String uri, String clientId, String user, String password) throws MqttException {
        return connect(uri, clientId, user, password, null, null);
    }

    /** Connects or throws the MqttException carrying the CONNACK reason code. */
    static MqttProbe connect(String uri, String clientId, String user, String password, String willTopic,
            String willPayload) throws MqttException {
        MqttProbe probe = new MqttProbe(uri, clientId);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        options.setCleanStart(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (willTopic != null) {
            MqttMessage will = new MqttMessage(willPayload.getBytes(StandardCharsets.UTF_8), 1, false, null);
            options.setWill(willTopic, will);
        }
        try {
            probe.client.connect(options).waitForCompletion(WAIT_MS);
            return probe;
        } catch (MqttException e) {
            probe.client.close(true);
            throw e;
        }
    }

    /** The CONNACK reason code of a connection attempt that should fail (0 if it succeeded, then closed). */
    static int connectReason(String uri, String clientId, String user, String password, String willTopic)
            throws MqttException {
        try (MqttProbe p = connect(uri, clientId, user, password, willTopic, "will")) {
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Subscribes at QoS 1 (the array form: Paho 1.2.5's single-topic form with a listener recurses). */
    int subscribe(String filter) throws MqttException {
        try {
            IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
            token.waitForCompletion(WAIT_MS);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            return refusal(e);
        }
    }

    int publish(String topic, String payload, boolean retained) throws MqttException {
        return publish(topic, payload, retained, null);
    }

    /** Publishes at QoS 1 and answers the PUBACK reason code (0: accepted, 0x10: no subscribers, >= 0x80: refused). */
    int publish(String topic, String payload, boolean retained, String responseTopic) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, retained, null);
        if (responseTopic != null) {
            MqttProperties properties = new MqttProperties();
            properties.setResponseTopic(responseTopic);
            message.setProperties(properties);
        }
        try {
            IMqttToken token = client.publish(topic, message);
            // Paho leaves the token of a QoS 1 message open when the broker disconnects (to resend it after a
            // reconnect), so a DISCONNECT with a reason code ends the wait as well
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (!token.isComplete() && System.currentTimeMillis() < deadline) {
                if (disconnect.isDone() && disconnect.getNow(-1) >= 0x80) {
                    return disconnect.getNow(-1);
                }
                try {
                    token.waitForCompletion(50);
                } catch (MqttException e) {
                    if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                        throw e;
                    }
                }
            }
            token.waitForCompletion(1);
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return refusal(e);
        }
    }

    /** The next message, or null after the bounded wait. */
    String poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for one message containing the marker, and returns everything else that arrived before it and shortly
     * after it: a message the broker should have dropped was sent earlier, so it would have been routed by now.
     */
    java.util.List<String> awaitAndCollectOthers(String marker) throws InterruptedException {
        java.util.List<String> others = new java.util.ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        boolean seen = false;
        while (!seen && System.currentTimeMillis() < deadline) {
            String m = poll(Math.max(1, deadline - System.currentTimeMillis()));
            if (m == null) {
                break;
            }
            if (m.contains(marker)) {
                seen = true;
            } else {
                others.add(m);
            }
        }
        if (!seen) {
            throw new AssertionError(clientId + " never received '" + marker + "'; got " + others);
        }
        for (String m; (m = poll(300)) != null;) {
            if (!m.contains(marker)) { // overlapping subscriptions may each get a copy of the marker (MQTT 5)
                others.add(m);
            }
        }
        return others;
    }

    /** Drops the connection without a DISCONNECT packet, so the broker sends this client's will. */
    void dropConnection() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Paho throws for some refusals, with the reason code in the exception. HiveMQ follows a refused PUBACK with a
     * DISCONNECT (also 0x87), which Paho may report first: then the DISCONNECT's reason code is the answer.
     */
    private int refusal(MqttException e) throws MqttException {
        if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2) {
            return e.getReasonCode();
        }
        try {
            int code = disconnect.get(WAIT_MS, TimeUnit.MILLISECONDS);
            if (code >= 0x80) {
                return code;
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notDisconnected) {
            // fall through
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        throw new MqttException(e.getReasonCode(), new IllegalStateException("no refusal code; connected="
                + client.isConnected() + ", disconnect=" + disconnect, e));
    }

    /** The reason code of the DISCONNECT the broker sends (bounded wait; -1 if none came). */
    int awaitDisconnectReason() throws InterruptedException {
        try {
            return disconnect.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return -1;
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected() && !disconnect.isDone()) {
                client.disconnect().waitForCompletion(5_000);
            }
        } catch (MqttException alreadyGone) {
            // the broker may close the connection at the same moment (HiveMQ after a refused PUBLISH)
        } finally {
            client.close(true);
        }
    }
}
