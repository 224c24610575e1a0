package org.layerlift.itest.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.layerlift.api.transport.Topics;

/** Reads what a gateway process shows from outside: its retained status and its thread count. */
final class GatewayStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SESSIONS = Pattern.compile("(\\d+) sessions");

    private GatewayStatus() {}

    /** The retained status as it is now. */
    static JsonNode status(GatewayProcess gw) throws Exception {
        MqttClient c = new MqttClient(gw.uri(), "status-" + System.nanoTime(), new MemoryPersistence());
        java.util.concurrent.BlockingQueue<byte[]> q = new java.util.concurrent.LinkedBlockingQueue<>();
        try {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setConnectionTimeout(10);
            c.connect(o);
            c.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.gatewayStatus(gw.gatewayId()), 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> q.add(m.getPayload())});
            byte[] p = q.poll(20, TimeUnit.SECONDS);
            if (p == null) {
                throw new AssertionError("no retained status from " + gw.gatewayId());
            }
            return JSON.readTree(p);
        } finally {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
    }

    /** The session count the "LayerLift sessions" health check reports, or -1. */
    static int sessions(JsonNode status) {
        for (JsonNode check : status.path("checks")) {
            if ("LayerLift sessions".equals(check.path("name").asText())) {
                Matcher m = SESSIONS.matcher(check.path("message").asText());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }

    /** Live threads of a process (Linux /proc). */
    static int threads(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IllegalStateException("no thread count for " + pid);
    }
}
