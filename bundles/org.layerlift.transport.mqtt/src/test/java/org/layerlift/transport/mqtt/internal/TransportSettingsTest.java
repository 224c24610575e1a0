package org.layerlift.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    /** The shipped defaults with {@code keyValues} (method name, value) instead. */
    private static TransportSettings with(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return TransportSettings.from(ConfigDefaults.with(TransportConfig.class, m));
    }

    private static TransportSettings of(String uri, String clientId) {
        return with("broker_uri", uri, "client_id", clientId, "username", "", "password", "");
    }

    private static String refused(Object... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> with(keyValues)).getMessage();
    }

    @Test
    void defaultsAreValidAndNameTheHost() {
        TransportSettings s = of("tcp://127.0.0.1:1883", "");
        assertTrue(s.clientId().startsWith("layerlift-"), s.clientId());
        assertFalse(s.tls());
        TransportSettings shipped = TransportSettings.from(ConfigDefaults.of(TransportConfig.class));
        assertEquals("tcp://127.0.0.1:1883", shipped.brokerUri());
        assertEquals(64, shipped.receiveMaximum());
    }

    @Test
    void acceptsEverySchemePahoSpeaks() {
        assertTrue(of("ssl://broker.example:8883", "gw1").tls());
        assertTrue(of("wss://broker.example/mqtt", "gw1").tls());
        assertFalse(of("ws://broker.example:8080/mqtt", "gw1").tls());
    }

    @Test
    void schemesAreCaseInsensitive(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path store = java.nio.file.Files.createFile(dir.resolve("trust.p12"));
        TransportSettings s = with("broker_uri", "SSL://h:8883", "client_id", "gw1", "tls_truststore",
                store.toString(), "tls_truststore_password", "pw");
        assertTrue(s.tls());
        assertEquals(store, s.truststore());
        assertEquals("ssl://h:8883", s.brokerUri());
        assertTrue(of("Wss://h/mqtt", "gw1").tls());
        TransportSettings tcp = of("TCP://h:1883", "gw1");
        assertFalse(tcp.tls());
        assertEquals("tcp://h:1883", tcp.brokerUri());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("TCP://h/path", "gw")).getMessage()
                .contains("has a path"));
    }

    @Test
    void unknownSchemeIsNamedWithKeyAndValue() {
        String m = refused("broker_uri", "gopher://x");
        assertEquals("invalid MQTT transport configuration: broker.uri=gopher://x (unknown scheme 'gopher'; use "
                + "tcp://, ssl://, ws:// or wss://)", m);
        assertTrue(refused("broker_uri", "http://x:1883").contains("unknown scheme 'http'"));
    }

    @Test
    void badPortAndMissingHostAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("tcp://x:70000", "gw")).getMessage()
                .contains("broker.uri=tcp://x:70000 (port 70000 outside 1..65535)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("tcp://:1883", "gw")).getMessage()
                .contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("", "gw")).getMessage()
                .contains("must not be empty"));
    }

    @Test
    void clientIdMustBeOneTopicLevel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("tcp://x", "a/b"));
        assertTrue(e.getMessage().contains("client.id"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("tcp://x", "gw+1"));
    }

    /** The values that used to fail activation outside the settings (receive.maximum, outbound.queue, limits). */
    @Test
    void everyNumericKeyIsValidatedHereWithItsRange() {
        assertEquals("invalid MQTT transport configuration: receive.maximum=0 (must be 1..65535)",
                refused("receive_maximum", 0));
        assertTrue(refused("outbound_queue", 0).endsWith("outbound.queue=0 (must be 1..1000000)"));
        assertTrue(refused("workers", 0).endsWith("workers=0 (must be 1..256)"));
        assertTrue(refused("queue", -1).endsWith("queue=-1 (must be 1..65536)"));
        assertTrue(refused("per_client_inflight", 0).endsWith("per.client.inflight=0 (must be 1..65535)"));
        assertTrue(refused("max_payload_bytes", 10).endsWith("max.payload.bytes=10 (must be 1024..268435455)"));
    }

    @Test
    void allProblemsAreReportedTogetherAndNoPassword() {
        String m = refused("broker_uri", "foo://x", "username", "", "password", "secret", "tls_truststore",
                "/nonexistent/store.p12", "keepalive_s", 0, "connect_timeout_s", 0, "max_reconnect_delay_s", 0,
                "receive_maximum", 70000);
        for (String part : new String[] {"broker.uri=foo://x", "password is set", "tls.truststore=/nonexistent",
            "keepalive.s=0", "connect.timeout.s=0", "max.reconnect.delay.s=0", "receive.maximum=70000"}) {
            assertTrue(m.contains(part), () -> "missing '" + part + "' in: " + m);
        }
        assertFalse(m.contains("secret"), m);
    }

    @Test
    void equalSettingsMeanTheSameConnection() {
        assertEquals(of("tcp://h:1883", "gw"), of("TCP://h:1883", "gw"));
        assertNotEquals(of("tcp://h:1883", "gw"), with("broker_uri", "tcp://h:1883", "client_id", "gw",
                "username", "", "password", "", "workers", 2));
    }

    @Test
    void aRefusalNamesKeyValueAndWhatIsKept() {
        TransportSettings good = of("tcp://127.0.0.1:1883", "gw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with("receive_maximum", 0));
        assertEquals("configuration refused: receive.maximum=0 (must be 1..65535); still running with "
                + "tcp://127.0.0.1:1883 as 'gw'", MqttConnection.refusal(e, "still running with " + good));
    }

    @Test
    void statusJsonCarriesGatewayIdAndState() {
        String json = new String(StatusMessage.offline("gw-7").toJson(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"gatewayId\":\"gw-7\""), json);
        assertTrue(json.contains("\"state\":\"offline\""), json);
        assertFalse(json.contains("bundles"), json);
        assertEquals('{', json.charAt(0));
    }
}
