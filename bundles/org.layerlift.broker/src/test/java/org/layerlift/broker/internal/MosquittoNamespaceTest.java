package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.broker.internal.MqttProbe.GRANTED_QOS_1;
import static org.layerlift.broker.internal.MqttProbe.NOT_AUTHORIZED;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Mosquitto 2.0 with the configuration and ACL the runtime ships ({@code runtime/mosquitto/}, read in place;
 * only the listener port and the file locations are changed), and real Paho MQTT 5 clients: the same isolation the
 * embedded broker enforces, and what a refusal looks like there.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoNamespaceTest {

    private static final String GATEWAY_USER = "layerlift-gateway";
    private static final String GATEWAY_PASSWORD = "gw-secret";
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path work;
    private static Process mosquitto;
    private static String uri;

    @BeforeAll
    static void startMosquitto() throws Exception {
        mosquitto = start(work, Map.of(GATEWAY_USER, GATEWAY_PASSWORD), line -> line);
        uri = uriOf(work);
    }

    /**
     * Starts Mosquitto on the shipped layerlift.conf and layerlift.acl (read in place), with a free port, a password
     * file of the given users, and each other configuration line passed through {@code edit}.
     */
    static Process start(Path dir, Map<String, String> users, UnaryOperator<String> edit) throws Exception {
        Path shipped = Path.of(System.getProperty("layerlift.mosquitto.dir", "../../runtime/mosquitto"));
        Path acl = shipped.resolve("layerlift.acl").toAbsolutePath();
        assertTrue(Files.isRegularFile(acl), "no ACL at " + acl);
        Path passwd = dir.resolve("layerlift.passwd");
        boolean first = true;
        for (Map.Entry<String, String> user : new TreeMap<>(users).entrySet()) {
            List<String> command = new ArrayList<>(List.of(tool("mosquitto_passwd"), "-b"));
            if (first) {
                command.add("-c"); // create the file with the first user
            }
            command.addAll(List.of(passwd.toString(), user.getKey(), user.getValue()));
            run(command.toArray(new String[0]));
            first = false;
        }
        int port = HiveMqNamespaceTest.freePort();
        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(shipped.resolve("layerlift.conf"), StandardCharsets.UTF_8)) {
            if (line.startsWith("listener ")) {
                line = "listener " + port + " 127.0.0.1";
            } else if (line.startsWith("password_file ")) {
                line = "password_file " + passwd;
            } else if (line.startsWith("acl_file ")) {
                line = "acl_file " + acl;
            } else {
                line = edit.apply(line);
            }
            conf.add(line);
        }
        // started as root, Mosquitto would switch to user 'mosquitto', who cannot read this private temp folder
        conf.add("user " + System.getProperty("user.name"));
        conf.add("log_dest stdout");
        conf.add("log_type all");
        Path confFile = Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("port"), Integer.toString(port));
        Process p = new ProcessBuilder(tool("mosquitto"), "-c", confFile.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        awaitListening(p, dir, port);
        return p;
    }

    static String uriOf(Path dir) throws IOException {
        return "tcp://127.0.0.1:" + Files.readString(dir.resolve("port"));
    }

    @AfterAll
    static void stopMosquitto() throws Exception {
        stop(mosquitto, work);
    }

    static void stop(Process p, Path dir) throws Exception {
        if (p != null) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            Path log = dir.resolve("mosquitto.log");
            if (Files.exists(log)) {
                // what a refusal looks like in Mosquitto's log
                Files.readAllLines(log).stream().filter(l -> l.contains("Denied")).forEach(System.out::println);
            }
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
    void aClientReceivesNothingFromAnotherNamespaceAndCannotPublishIntoIt() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe a = client("a"); MqttProbe b = client("b")) {
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            // Mosquitto 2.0.11 grants these SUBSCRIBEs (SUBACK 0x01) and then checks 'read' on every message it
            // would deliver: whatever the SUBACK says, nothing from A's namespace may reach B
            for (String filter : new String[] {ns(a) + "/#", ns(a) + "/reply", "layerlift/v1/c/+/#", "layerlift/v1/#",
                "#", "$share/g/" + ns(a) + "/#"}) {
                System.out.println("mosquitto: SUBACK to b for " + filter + ": 0x"
                        + Integer.toHexString(b.subscribe(filter)));
            }
            assertEquals(GRANTED_QOS_1, b.subscribe(ns(b) + "/#"));
            // a refused QoS 1 PUBLISH: PUBACK 0x87, and the connection stays
            assertEquals(NOT_AUTHORIZED, b.publish(ns(a) + "/reply", "spoofed by b", false));
            assertEquals(NOT_AUTHORIZED, b.publish(ns(a) + "/state", "retained by b", true));
            assertTrue(b.isConnected());

            assertAccepted(gw.publish(ns(a) + "/reply", "gateway to a", false));
            assertEquals(0, a.publish(ns(a) + "/control", "a's control", false));
            assertEquals(List.of("layerlift/v1/c/" + a.clientId + "/reply gateway to a"),
                    a.awaitAndCollectOthers("a's control"));
            assertEquals(0, b.publish(ns(b) + "/control", "b's control", false));
            assertEquals(List.of(), b.awaitAndCollectOthers("b's control"));
        }
    }

    @Test
    void aRefusedRetainedPublishIsNotStored() throws Exception {
        try (MqttProbe a = client("a"); MqttProbe b = client("b")) {
            assertEquals(NOT_AUTHORIZED, b.publish(ns(a) + "/state", "retained by b", true));
            assertAccepted(a.publish(ns(a) + "/mine", "retained by a", true));
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            assertEquals(List.of(), a.awaitAndCollectOthers("retained by a"));
        }
    }

    @Test
    void clientsReadTheGatewayStatusButCannotPublishIt() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe b = client("b")) {
            String status = "layerlift/v1/gateway/" + gw.clientId + "/status";
            assertAccepted(gw.publish(status, "online", true));
            assertEquals(GRANTED_QOS_1, b.subscribe("layerlift/v1/gateway/+/status"));
            assertEquals(List.of(), b.awaitAndCollectOthers("online"));
            assertEquals(NOT_AUTHORIZED, b.publish(status, "offline, says b", true));
            assertEquals(NOT_AUTHORIZED, b.publish("layerlift/v1/gateway/" + b.clientId + "/status", "gw b", true));
        }
    }

    @Test
    void theGatewayReachesEveryNamespace() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe a = client("a")) {
            assertEquals(GRANTED_QOS_1, gw.subscribe("layerlift/v1/c/+/manifest"));
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/reply"));
            assertEquals(0, a.publish(ns(a) + "/manifest", "manifest of a", false));
            assertEquals(List.of(), gw.awaitAndCollectOthers("manifest of a"));
            assertEquals(0, gw.publish(ns(a) + "/reply", "reply to a", false));
            assertEquals(List.of(), a.awaitAndCollectOthers("reply to a"));
        }
    }

    @Test
    void theGatewayUserNameIsRefusedWithAnyOtherPassword() throws Exception {
        int reason = MqttProbe.connectReason(uri, id("x"), GATEWAY_USER, "wrong", null);
        System.out.println("mosquitto: CONNACK for a wrong gateway password: 0x" + Integer.toHexString(reason));
        assertTrue(reason >= 0x80, "CONNACK 0x" + Integer.toHexString(reason));
    }

    @Test
    void aWillIntoAnotherNamespaceIsNeverSent() throws Exception {
        try (MqttProbe a = client("a")) {
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            // Mosquitto accepts the CONNECT and drops the will when it would send it
            MqttProbe b = MqttProbe.connect(uri, id("b"), null, null, ns(a) + "/reply", "will of b");
            MqttProbe gw = MqttProbe.connect(uri, id("gw"), GATEWAY_USER, GATEWAY_PASSWORD, ns(a) + "/reply",
                    "will of the gateway");
            b.dropConnection();
            b.close();
            gw.dropConnection();
            gw.close();
            assertEquals(List.of(), a.awaitAndCollectOthers("will of the gateway"));
        }
    }

    @Test
    void clientIdsWithWildcardsGetNoNamespace() throws Exception {
        try (MqttProbe gw = gateway(); MqttProbe a = client("a")) {
            assertEquals(GRANTED_QOS_1, a.subscribe(ns(a) + "/#"));
            for (String bad : new String[] {"+", "#"}) {
                try (MqttProbe p = MqttProbe.connect(uri, bad, null, null)) {
                    p.subscribe("layerlift/v1/c/+/#");
                    p.subscribe("layerlift/v1/gateway/+/status");
                    assertEquals(0, gw.publish(ns(a) + "/x", "for a only, not " + bad, false));
                    assertAccepted(gw.publish("layerlift/v1/gateway/" + gw.clientId + "/status", "status", false));
                    assertEquals(List.of(), a.awaitAndCollectOthers("for a only, not " + bad));
                    assertEquals(null, p.poll(500), bad + " received a message");
                }
            }
        }
    }

    /**
     * The anonymous mode trusts client ids, and Mosquitto puts an id containing '/' into %c as is ('victim/manifest'
     * gets layerlift/v1/c/victim/manifest/#, whose '#' also matches layerlift/v1/c/victim/manifest). The documented
     * fix, phones with logins and {@code use_username_as_clientid}, ties the namespace to the login instead.
     */
    @Test
    void withPhoneLoginsTheNamespaceFollowsTheLoginNotTheChosenClientId(@TempDir Path dir) throws Exception {
        Process hardened = start(dir, Map.of(GATEWAY_USER, GATEWAY_PASSWORD, "phone-a", "pa-secret"),
                line -> line.startsWith("allow_anonymous ")
                        ? "allow_anonymous false\nuse_username_as_clientid true" : line);
        try {
            String hardenedUri = uriOf(dir);
            assertTrue(MqttProbe.connectReason(hardenedUri, "anonymous-1", null, null, null) >= 0x80);
            try (MqttProbe gw = MqttProbe.connect(hardenedUri, "gw-h", GATEWAY_USER, GATEWAY_PASSWORD);
                    MqttProbe phone = MqttProbe.connect(hardenedUri, "victim/manifest", "phone-a", "pa-secret")) {
                assertEquals(GRANTED_QOS_1, gw.subscribe("layerlift/v1/c/+/manifest"));
                assertEquals(NOT_AUTHORIZED, phone.publish("layerlift/v1/c/victim/manifest", "impersonated", false));
                assertEquals(0, phone.publish("layerlift/v1/c/phone-a/manifest", "from phone-a", false));
                assertEquals(List.of(), gw.awaitAndCollectOthers("from phone-a"));
            }
        } finally {
            stop(hardened, dir);
        }
    }

    /** 0x00 success, or 0x10 no matching subscribers: both mean the broker took the message. */
    private static void assertAccepted(int pubackReason) {
        assertTrue(pubackReason < 0x80, "PUBACK 0x" + Integer.toHexString(pubackReason));
    }

    private static void awaitListening(Process p, Path dir, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("mosquitto exited with " + p.exitValue() + ": "
                            + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 15 s");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String tool(String name) {
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed (apt-get install -y mosquitto mosquitto-clients)");
    }
}
