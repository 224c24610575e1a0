package org.layerlift.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    private static TransportSettings of(String uri, String clientId) {
        return TransportSettings.of(uri, clientId, "", "", "", "", 30, 10, 15);
    }

    @Test
    void defaultsAreValidAndNameTheHost() {
        TransportSettings s = of("tcp://127.0.0.1:1883", "");
        assertTrue(s.clientId().startsWith("layerlift-"), s.clientId());
        assertFalse(s.tls());
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
        TransportSettings s = TransportSettings.of("SSL://h:8883", "gw1", "", "", store.toString(), "pw", 30, 10, 15);
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
    void unknownSchemeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("http://x:1883", "gw"));
        assertTrue(e.getMessage().contains("unknown scheme 'http'"), e.getMessage());
    }

    @Test
    void badPortAndMissingHostAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("tcp://x:70000", "gw")).getMessage()
                .contains("port 70000"));
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

    @Test
    void allProblemsAreReportedTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.of("foo://x", "gw", "", "secret", "/nonexistent/store.p12", "", 0, 0, 0));
        String m = e.getMessage();
        for (String part : new String[] {"foo", "password is set", "tls.truststore", "keepalive.s",
            "connect.timeout.s", "max.reconnect.delay.s"}) {
            assertTrue(m.contains(part), () -> "missing '" + part + "' in: " + m);
        }
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
