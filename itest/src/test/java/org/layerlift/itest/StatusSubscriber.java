package org.layerlift.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** An MQTT 5 client (Paho, as a mobile client would use it) that collects the gateway status messages it sees. */
final class StatusSubscriber implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private JsonNode last;

    StatusSubscriber(int port, String topic) throws MqttException {
        client = new MqttClient("tcp://127.0.0.1:" + port, "itest-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(10);
        client.connect(options);
        // the array form: Paho 1.2.5's subscribe(String, int, listener) recurses into a StackOverflowError
        IMqttMessageListener listener = (t, message) -> messages.add(JSON.readTree(message.getPayload()));
        client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)},
                new IMqttMessageListener[] {listener});
    }

    /** Waits for a status message that satisfies the condition; fails with the last one seen. */
    JsonNode await(Predicate<JsonNode> condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            JsonNode next = messages.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (next != null) {
                last = next;
                if (condition.test(next)) {
                    return next;
                }
            }
        }
        throw new AssertionError("no status message " + what + " within " + timeoutMs + " ms; last seen: " + last);
    }

    static boolean hasBundle(JsonNode status, String symbolicName, String state) {
        for (JsonNode b : status.path("bundles")) {
            if (symbolicName.equals(b.path("symbolicName").asText()) && state.equals(b.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    static boolean mentionsBundle(JsonNode status, String symbolicName) {
        for (JsonNode b : status.path("bundles")) {
            if (symbolicName.equals(b.path("symbolicName").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
