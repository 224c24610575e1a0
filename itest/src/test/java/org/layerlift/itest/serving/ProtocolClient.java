package org.layerlift.itest.serving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/**
 * Test code that speaks protocol v1 directly over MQTT 5 (Paho): requests with a response topic in the client's own
 * namespace and correlation data, replies matched by correlation, events collected. No LayerLift client library.
 */
final class ProtocolClient implements AutoCloseable {

    private final String clientId;
    private final MqttAsyncClient mqtt;
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<Messages.Event> events = new LinkedBlockingQueue<>();
    private final List<Messages.Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();
    /** HiveMQ's Receive Maximum is 10: Paho refuses more in-flight publishes */
    private final Semaphore inFlight = new Semaphore(8);
    private final String replyTopic;

    ProtocolClient(String uri, String clientId) throws MqttException {
        this.clientId = clientId;
        this.replyTopic = ProtocolTopics.reply(clientId, "r");
        this.mqtt = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        mqtt.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("disconnected")));
                pending.clear();
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                if (topic.equals(ProtocolTopics.events(clientId))) {
                    try {
                        Messages.Event e = Json.read(m.getPayload(), Messages.Event.class, "event");
                        events.add(e);
                        seen.add(e);
                    } catch (Exception e) {
                        // ignored: tests look at the events they understand
                    }
                    return;
                }
                byte[] corr = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
                if (corr != null) {
                    CompletableFuture<byte[]> f = pending.remove(new String(corr, java.nio.charset.StandardCharsets.UTF_8));
                    if (f != null) {
                        f.complete(m.getPayload());
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        o.setSocketFactory(new NoDelay());
        mqtt.connect(o).waitForCompletion(15_000);
        IMqttToken sub = mqtt.subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1),
            new MqttSubscription(ProtocolTopics.events(clientId), 1)});
        sub.waitForCompletion(10_000);
    }

    String clientId() {
        return clientId;
    }

    /** Publishes a request and completes with the reply's payload. */
    CompletableFuture<byte[]> request(String kind, byte[] payload, int qos) {
        return requestOn(ProtocolTopics.request(clientId, kind), replyTopic, payload, qos);
    }

    /** A request on any topic with any response topic (for the hostile tests). */
    CompletableFuture<byte[]> requestOn(String topic, String responseTopic, byte[] payload, int qos) {
        String corr = clientId + "-" + next.incrementAndGet();
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.put(corr, f);
        MqttProperties p = new MqttProperties();
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        p.setCorrelationData(corr.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no publish slot in 30 s");
            }
            mqtt.publish(topic, new MqttMessage(payload, qos, false, p), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    inFlight.release();
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    inFlight.release();
                    f.completeExceptionally(e);
                }
            });
        } catch (Exception e) {
            inFlight.release();
            pending.remove(corr);
            f.completeExceptionally(e);
        }
        f.whenComplete((r, e) -> pending.remove(corr));
        return f;
    }

    /** Waits for the reply: the payload, or throws on timeout. */
    byte[] call(String kind, byte[] payload) throws Exception {
        return request(kind, payload, 1).get(120, TimeUnit.SECONDS);
    }

    BlockingQueue<Messages.Event> events() {
        return events;
    }

    /** Every event received so far, in arrival order. */
    List<Messages.Event> seen() {
        return seen;
    }

    MqttAsyncClient mqtt() {
        return mqtt;
    }

    @Override
    public void close() {
        try {
            if (mqtt.isConnected()) {
                mqtt.disconnect(2000).waitForCompletion(3000);
            }
            mqtt.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
