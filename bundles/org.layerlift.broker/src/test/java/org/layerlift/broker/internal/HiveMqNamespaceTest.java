package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.broker.internal.MqttProbe.GRANTED_QOS_1;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * The embedded HiveMQ as the gateway starts it ({@link EmbeddedBroker}, on the plain class path) with real Paho MQTT 5
 * clients: each client stays in its own namespace, the gateway's login reaches all of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HiveMqNamespaceTest {

    private static final String GATEWAY_USER = "layerlift-gateway";
    private static final String GATEWAY_PASSWORD = "gw-secret";
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path data;
    private static EmbeddedBroker broker;
    private static String uri;

    @BeforeAll
    static void startBroker() throws Exception {
        int port = freePort();
        uri = "tcp://127.0.0.1:" + port;
        broker = new EmbeddedBroker(config(Map.of("host", "127.0.0.1", "port", port, "gateway_password",
                GATEWAY_PASSWORD, "data_dir", data.toString())), context(data), logger());
        broker.started().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    private static String id(String role) {
        return role + "-" + IDS.incrementAndGet();
    }

    private static String ns(MqttProbe client) {
        return "layerlift/v1/c/" + client.clientId;
    }

    private static MqttProbe client(String role) throws Exception {
        return MqttProbe.connect(uri, id(role), null, null);
    }

    private static MqttProbe gateway() throws Exception {
        return MqttProbe.connect(uri, id("gw"), GATEWAY_USER, GATEWAY_PASSWORD);
    }

    @Test
    void aClientCanNeitherSubscribeToNorPublishIntoAnotherNamespace() throws Exception {
        try (MqttProbe a = client("a"); MqttProbe b = client("b")) {
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            assertRefused(b.subscribe(ns(a) + "/#"));
            assertRefused(b.subscribe(ns(a) + "/reply"));
            assertRefused(b.subscribe("layerlift/v1/c/+/#"));
            assertRefused(b.subscribe("layerlift/v1/#"));
            assertRefused(b.subscribe("#"));
            assertRefused(b.subscribe("$share/g/" + ns(a) + "/#"));
            assertRefused(b.subscribe("$SYS/#"));
            // a refused SUBSCRIBE is answered per filter; the connection stays
            assertTrue(b.isConnected());
            assertEquals(GRANTED_QOS_1, b.subscribe(ns(b) + "/#"));
            // a refused PUBLISH: PUBACK 0x87, then HiveMQ disconnects the client (0x87)
            assertRefused(b.publish(ns(a) + "/reply", "spoofed by b", false));
            assertEquals(0x87, b.awaitDisconnectReason());

            assertEquals(0, a.publish(ns(a) + "/control", "control", false));
            assertEquals(List.of(), a.awaitAndCollectOthers("control"));
        }
    }

    @Test
    void aRefusedRetainedPublishIsNotStored() throws Exception {
        try (MqttProbe a = client("a"); MqttProbe b = client("b")) {
            assertRefused(b.publish(ns(a) + "/state", "retained by b", true));
            assertEquals(0x10, a.publish(ns(a) + "/mine", "retained by a", true));
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            assertEquals(List.of(), a.awaitAndCollectOthers("retained by a"));
        }
    }

    @Test
    void aClientMayNotAimRepliesAtAnotherNamespace() throws Exception {
        try (MqttProbe a = client("a"); MqttProbe b = client("b")) {
            assertEquals(0x10, b.publish(ns(b) + "/query", "q", false, ns(b) + "/reply")); // accepted, no subscribers
            assertRefused(b.publish(ns(b) + "/query", "q", false, ns(a) + "/reply"));
        }
    }

    @Test
    void clientsReadTheGatewayStatusButCannotPublishIt() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe b = client("b")) {
            String status = "layerlift/v1/gateway/" + gw.clientId + "/status";
            assertTrue(gw.publish(status, "online", true) < 0x80);
            assertEquals(GRANTED_QOS_1, b.subscribe("layerlift/v1/gateway/+/status"));
            assertEquals(List.of(), b.awaitAndCollectOthers("online"));
            assertRefused(b.publish(status, "offline, says b", true));
        }
        try (MqttProbe b = client("b")) {
            assertRefused(b.publish("layerlift/v1/gateway/" + b.clientId + "/status", "b is a gateway", true));
        }
    }

    @Test
    void theGatewayReachesEveryNamespaceButNothingOutsideTheRoot() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe a = client("a")) {
            assertEquals(GRANTED_QOS_1, gw.subscribe("layerlift/v1/c/+/manifest"));
            assertRefused(gw.subscribe("#"));
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/reply"));
            assertEquals(0, a.publish(ns(a) + "/manifest", "manifest of a", false));
            assertEquals(List.of(), gw.awaitAndCollectOthers("manifest of a"));
            assertEquals(0, gw.publish(ns(a) + "/reply", "reply to a", false));
            assertEquals(List.of(), a.awaitAndCollectOthers("reply to a"));
        }
    }

    @Test
    void theGatewayUserNameIsRefusedWithAnyOtherPassword() throws Exception {
        assertEquals(0x86, MqttProbe.connectReason(uri, id("x"), GATEWAY_USER, "wrong", null));
        assertEquals(0x86, MqttProbe.connectReason(uri, id("x"), GATEWAY_USER, "", null));
        assertEquals(0x86, MqttProbe.connectReason(uri, id("x"), GATEWAY_USER, GATEWAY_PASSWORD + "x", null));
    }

    @Test
    void aWillIntoAnotherNamespaceIsRefusedAtConnect() throws Exception {
        try (MqttProbe a = client("a")) {
            int reason = MqttProbe.connectReason(uri, id("b"), null, null, ns(a) + "/reply");
            System.out.println("hivemq: CONNACK for a will into another namespace: 0x" + Integer.toHexString(reason));
            assertTrue(reason >= 0x80, "CONNACK reason " + reason);
            assertEquals(0, MqttProbe.connectReason(uri, "b-own-will", null, null, "layerlift/v1/c/b-own-will/gone"));
        }
    }

    @Test
    void clientIdsThatCannotNameANamespaceAreRefusedAtConnect() throws Exception {
        for (String bad : new String[] {"a/b", "a+", "#", "x".repeat(129)}) {
            assertEquals(0x85, MqttProbe.connectReason(uri, bad, null, null, null), bad);
        }
    }

    /**
     * A network listener without credentials is refused (the broker then keeps, or at activation takes, the shipped
     * loopback configuration and reports the refusal: {@code EmbeddedBroker.refusal}).
     */
    @Test
    void aNetworkListenerWithoutCredentialsIsRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.of("0.0.0.0", 1, 268435460, "", "", "layerlift-gateway", "layerlift-local",
                        "in-memory", dir.toString(), dir));
        assertTrue(e.getMessage().contains("host '0.0.0.0' is not a loopback address"), e.getMessage());
        assertTrue(e.getMessage().contains("gateway.password of your own"), e.getMessage());
        // a client login alone is not enough while the gateway's password is the shipped (public) one
        IllegalArgumentException shipped = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.of("0.0.0.0", 1, 268435460, "phones", "secret", "layerlift-gateway",
                        "layerlift-local", "in-memory", dir.toString(), dir));
        assertTrue(shipped.getMessage().contains("gateway.password of your own"), shipped.getMessage());
        BrokerSettings.of("0.0.0.0", 1, 268435460, "phones", "secret", "layerlift-gateway", "s3cret-own",
                "in-memory", dir.toString(), dir);
        String reported = EmbeddedBroker.refusal(e, "running with the shipped defaults 127.0.0.1:1883");
        assertTrue(reported.startsWith("configuration refused: "), reported);
        assertTrue(reported.contains("0.0.0.0") && reported.endsWith("127.0.0.1:1883"), reported);
    }

    private static void assertRefused(int reasonCode) {
        assertTrue(reasonCode >= 0x80, "expected a refusal (reason code >= 0x80), got 0x"
                + Integer.toHexString(reasonCode));
    }

    // --- EmbeddedBroker's OSGi inputs, without a framework

    /** The component configuration: given values by method name, the annotation's defaults for the rest. */
    static BrokerConfig config(Map<String, Object> values) {
        InvocationHandler h = (proxy, method, args) -> values.containsKey(method.getName())
                ? values.get(method.getName()) : method.getDefaultValue();
        return (BrokerConfig) Proxy.newProxyInstance(BrokerConfig.class.getClassLoader(),
                new Class<?>[] {BrokerConfig.class}, h);
    }

    static BundleContext context(Path dataArea) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDataFile")) {
                        return new File(dataArea.toFile(), (String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static Logger logger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    if (method.getReturnType() == void.class && args != null && args.length > 0) {
                        System.out.println("[broker " + method.getName() + "] " + args[0] + " "
                                + java.util.Arrays.toString(java.util.Arrays.copyOfRange(args, 1, args.length)));
                    }
                    return null;
                });
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
